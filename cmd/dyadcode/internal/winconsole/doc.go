// Package winconsole makes the command-line output of the Windows build
// visible in the console it was started from.
//
// The Windows exe is linked as a GUI-subsystem program (-H windowsgui), so
// that opening it from the Start menu or a .dyad file shows the window and
// no console window beside it. Windows gives such a program no console: run
// from cmd.exe or PowerShell, `dyadcode export …` would print nothing. On
// start the package therefore attaches to the parent's console
// (AttachConsole(ATTACH_PARENT_PROCESS)) and points standard output and
// error at it, unless they are already redirected to a file or pipe, which
// Windows passes to GUI programs too and which are left alone. Started
// from Explorer there is no parent console and nothing changes.
//
// One difference from a console program remains, and it is Windows's:
// cmd.exe does not wait for a GUI-subsystem program, so its prompt can come
// back before the output; PowerShell and scripts that redirect or pipe the
// output (`dyadcode export p.dyad > out.csv`, `| Out-Host`) wait. The
// README says so.
//
// The package does nothing on other systems. Import it (blank) from main.
package winconsole
