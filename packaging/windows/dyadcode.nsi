; dyadcode's Windows installer (NSIS 3, Debian package nsis). Built by
; scripts/package-windows:
;   makensis -DVERSION=0.1.0 -DSTAGE=<dir with dyadcode.exe, DLLs, notices>
;            -DOUTFILE=<setup.exe> -DICON=<dyadcode.ico> dyadcode.nsi
;
; Per-user, no administrator rights: installs into
; %LOCALAPPDATA%\Programs\dyadcode and writes only HKCU (the Start-menu
; entry, the .dyad association, the Add/Remove Programs entry), the way
; research assistants' managed laptops allow. /S installs silently,
; uninstall.exe /S removes everything it added. 64-bit, so it also sees
; the 64-bit registry view and Program-Files-free paths the exe uses.

; A 64-bit installer: Debian's NSIS has amd64 stubs, and a 32-bit one would
; need 32-bit Wine to test. No plugins (Debian ships them for x86 only), so
; no finish page and no SHChangeNotify: Explorer shows the .dyad icon after
; its next restart.
Target amd64-unicode
!include "MUI2.nsh"

Name "dyadcode ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\dyadcode"
InstallDirRegKey HKCU "Software\dyadcode" "InstallDir"
SetCompressor /SOLID lzma

!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\dyadcode"
!define PROGID "dyadcode.project"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!insertmacro MUI_PAGE_LICENSE "${STAGE}\NOTICE.txt"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "dyadcode" SecMain
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File /r "${STAGE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\dyadcode.lnk" "$INSTDIR\dyadcode.exe" "" "$INSTDIR\dyadcode.exe" 0

  ; .dyad projects open in dyadcode: per-user classes (HKCU\Software\Classes).
  WriteRegStr HKCU "Software\Classes\.dyad" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "dyadcode project"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\dyadcode.exe,0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\dyadcode.exe" open "%1"'

  WriteRegStr HKCU "Software\dyadcode" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "dyadcode"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "dyadcode"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\dyadcode.exe,0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Delete "$SMPROGRAMS\dyadcode.lnk"
  ; Only the association we made: another program may own .dyad by now.
  ReadRegStr $0 HKCU "Software\Classes\.dyad" ""
  StrCmp $0 "${PROGID}" 0 +2
    DeleteRegKey HKCU "Software\Classes\.dyad"
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\dyadcode"
  ; The program's files; the user's projects and %LOCALAPPDATA%\dyadcode
  ; (the demo copy) are theirs and stay.
  RMDir /r "$INSTDIR"
SectionEnd
