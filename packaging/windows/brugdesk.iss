; Inno Setup script: a per-user installer for the one-folder bundle in dist\brugdesk.
; Build on Windows after `make bundle` (or `pyinstaller packaging\brugdesk.spec`):
;   iscc /DAppVersion=0.1.0 packaging\windows\brugdesk.iss
; Installs under the user's own programs folder without administrator rights and
; adds a Start-menu entry. The caseload itself is never in the install folder: it
; lives in the user's data folder and stays there on uninstall.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6E0C6C0B-2D1E-4F7B-9B7A-4B7C1E0F2A11}
AppName=brugdesk
AppVersion={#AppVersion}
AppPublisher=brugdesk
DefaultDirName={autopf}\brugdesk
DefaultGroupName=brugdesk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=brugdesk-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
LicenseFile=..\..\LICENSE
SetupIconFile=..\..\brugdesk\resources\icons\brugdesk.ico
UninstallDisplayIcon={app}\brugdesk.exe

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"

[Files]
Source: "..\..\dist\brugdesk\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\brugdesk"; Filename: "{app}\brugdesk.exe"
Name: "{userdesktop}\brugdesk"; Filename: "{app}\brugdesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Snelkoppeling op het bureaublad"; Flags: unchecked

[Run]
Filename: "{app}\brugdesk.exe"; Description: "brugdesk starten"; Flags: nowait postinstall skipifsilent
