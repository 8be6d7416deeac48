; The Windows installer of the pharmacy app, built on Debian by scripts/package-windows:
;   makensis -DVERSION=0.1.0 -DEXE=masker19.exe -DLOADER=WebView2Loader.dll -DICON=apotheek.ico \
;            -DOUTFILE=Apotheek-0.1.0-setup.exe packaging/windows/apotheek.nsi
;
; Everything a person at the counter can see carries the neutral name "Apotheek" and the plain
; pharmacy cross: the program (Apotheek.exe), the Start-menu entry, the list of installed programs.
;
; Installs per machine under Program Files (administrator rights). Each user's data (the encrypted
; outbox and, where there is no Credential Manager, its key file) lives in that user's
; %LOCALAPPDATA%\masker19 and is made by the program itself on first use.
;
; Silent:    Apotheek-<version>-setup.exe /S [/D=C:\other\folder]
; Uninstall: uninstall.exe           asks whether to remove the data too (default: keep it)
;            uninstall.exe /S        keeps the data (reports not sent yet stay on the computer)
;            uninstall.exe /S /REMOVEDATA   removes the data of the user who runs it as well

; A 64-bit installer for a 64-bit program (it runs on 64-bit Windows 10 and 11 only).
Target amd64-unicode
!ifndef VERSION | EXE | LOADER | ICON | OUTFILE
  !error "VERSION, EXE, LOADER, ICON and OUTFILE are defined by scripts/package-windows"
!endif

!define NAME "Apotheek"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${NAME}"
; Microsoft's WebView2 runtime (Evergreen): registered per machine or per user under this client id.
!define WEBVIEW2_CLIENT "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_BOOTSTRAPPER "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

!include MUI2.nsh
!include FileFunc.nsh
!include LogicLib.nsh

Name "${NAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${NAME}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1043 "ProductName" "${NAME}"
VIAddVersionKey /LANG=1043 "FileDescription" "${NAME} installatie"
VIAddVersionKey /LANG=1043 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1043 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1043 "LegalCopyright" "EUPL-1.2"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${NAME}.exe"
!define MUI_FINISHPAGE_RUN_TEXT "${NAME} starten"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Dutch"

Function .onInit
  SetRegView 64
FunctionEnd

Section "Install"
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File "/oname=${NAME}.exe" "${EXE}"
  File "/oname=WebView2Loader.dll" "${LOADER}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${NAME}.lnk" "$INSTDIR\${NAME}.exe" "" "$INSTDIR\${NAME}.exe" 0

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${NAME}.exe,0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0

  ; The window needs Microsoft's WebView2 runtime (part of Windows 10 and 11). Without it the
  ; program cannot show its window: say where to get it; a silent install only writes it in the log.
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_CLIENT}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_CLIENT}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    DetailPrint "WebView2 runtime ontbreekt: ${WEBVIEW2_BOOTSTRAPPER}"
    MessageBox MB_ICONINFORMATION "Microsoft WebView2 Runtime ontbreekt op deze computer. ${NAME} kan zijn venster pas openen als die geïnstalleerd is (de Evergreen Bootstrapper van Microsoft):$\r$\n$\r$\n${WEBVIEW2_BOOTSTRAPPER}" /SD IDOK
  ${EndIf}
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\${NAME}.lnk"
  Delete "$INSTDIR\${NAME}.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  SetRegView 64
  DeleteRegKey HKLM "${UNINSTALL_KEY}"

  ; The data stays unless asked: it may hold reports that are not sent yet.
  SetShellVarContext current
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/REMOVEDATA" $1
  ${If} ${Errors}
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "Ook de gegevens van ${NAME} op deze computer verwijderen?$\r$\n$\r$\nMeldingen die nog niet verzonden zijn gaan dan verloren." /SD IDNO IDYES remove
    Goto done
  ${EndIf}
  remove:
    RMDir /r "$LOCALAPPDATA\masker19"
  done:
SectionEnd
