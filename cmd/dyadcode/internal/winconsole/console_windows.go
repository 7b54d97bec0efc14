package winconsole

import (
	"os"

	"golang.org/x/sys/windows"
)

func init() { attach() }

// attach is init's work; Attached reports what it did.
func attach() {
	out := usable(windows.STD_OUTPUT_HANDLE)
	errOut := usable(windows.STD_ERROR_HANDLE)
	if out && errOut {
		return // a console program, or both streams redirected
	}
	const attachParentProcess = ^uint32(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	// Not wrapped by x/sys/windows; kernel32 has had it since Windows XP.
	proc := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := proc.Call(uintptr(attachParentProcess)); ok == 0 {
		return // started from Explorer: no console to print to
	}
	attached = true
	if !out {
		if f := openConsole("CONOUT$", windows.STD_OUTPUT_HANDLE); f != nil {
			os.Stdout = f
		}
	}
	if !errOut {
		if f := openConsole("CONOUT$", windows.STD_ERROR_HANDLE); f != nil {
			os.Stderr = f
		}
	}
	if !usable(windows.STD_INPUT_HANDLE) {
		if f := openConsole("CONIN$", windows.STD_INPUT_HANDLE); f != nil {
			os.Stdin = f
		}
	}
}

var attached bool

// Attached reports whether the process attached to its parent's console.
func Attached() bool { return attached }

// usable: the standard handle is set and is a file, pipe or console.
func usable(std uint32) bool {
	h, err := windows.GetStdHandle(std)
	if err != nil || h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}

// openConsole opens the attached console's input or output and makes it
// the process's standard handle, so C code (FFmpeg's log) writes there too.
func openConsole(name string, std uint32) *os.File {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil
	}
	access := uint32(windows.GENERIC_READ | windows.GENERIC_WRITE)
	h, err := windows.CreateFile(p, access, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return nil
	}
	windows.SetStdHandle(std, h)
	return os.NewFile(uintptr(h), name)
}
