/*
 * A stand-in for Windows 10's bcryptprimitives.dll, for tests under Wine 8
 * only (Wine 8 lacks the DLL; Windows 10 and later have the real one, and
 * the installer does not ship this). Go 1.22 and later read random bytes
 * with ProcessPrng from bcryptprimitives.dll at start-up and abort without
 * it. ProcessPrng fills a buffer from the system's cryptographic generator
 * and always returns TRUE; here it is RtlGenRandom (advapi32's
 * SystemFunction036), the same generator on older Windows, which Wine has.
 *
 * Built by scripts/test-windows:
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, chunk))
			return FALSE;
		data += chunk;
		len -= chunk;
	}
	return TRUE;
}
