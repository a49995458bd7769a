"""Typed errors with a plain Dutch message a worker can act on.

Every error a user can cause carries ``message``: what happened and what to
do, in Dutch. The GUI and the CLI show exactly that sentence; details that
may help a developer go to the log, never client data or secrets.
"""

from __future__ import annotations

from pathlib import Path


class BrugdeskError(Exception):
    """Base class: ``message`` is shown to the user as is."""

    default_message = "Er ging iets mis."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


# --- vault -------------------------------------------------------------------


class VaultError(BrugdeskError):
    """Anything that stops the vault from opening or being written."""


class VaultMissing(VaultError):
    default_message = (
        "Er is in deze map geen brugdesk-kluis gevonden. Controleer de gekozen map, "
        "maak een nieuwe kluis aan of zet een back-up terug."
    )


class VaultExists(VaultError):
    default_message = (
        "In deze map staat al een brugdesk-kluis. Kies een andere map; een bestaande "
        "kluis wordt nooit overschreven."
    )


class WrongPassphrase(VaultError):
    default_message = (
        "Het wachtwoord klopt niet. Let op hoofdletters en de Caps Lock-toets. "
        "Bent u het wachtwoord kwijt? Gebruik dan uw herstelsleutel."
    )


class WrongRecoveryKey(VaultError):
    default_message = (
        "De herstelsleutel klopt niet. Controleer elk groepje van zes cijfers op het "
        "herstelblad en probeer het opnieuw."
    )


class VaultDamaged(VaultError):
    default_message = (
        "De kluis is beschadigd of gewijzigd en kan niet veilig worden geopend. "
        "Zet een back-up terug (brugdesk-cli restore) of neem contact op met uw beheerder."
    )


class UnsupportedVaultVersion(VaultError):
    default_message = (
        "Deze kluis is gemaakt met een nieuwere versie van brugdesk. "
        "Werk brugdesk bij en probeer het opnieuw."
    )


class VaultLocked(VaultError):
    default_message = "De kluis is vergrendeld. Ontgrendel hem eerst met uw wachtwoord."


class DiskFull(VaultError):
    default_message = (
        "De schijf is vol; er is niets opgeslagen. Maak ruimte vrij en probeer het opnieuw. "
        "Uw eerdere gegevens zijn onaangetast."
    )


class WeakPassphrase(BrugdeskError):
    default_message = "Dit wachtwoord is te kort."


class BackupError(BrugdeskError):
    default_message = "Het back-upbestand is onleesbaar of beschadigd. Er is niets veranderd."


# --- core --------------------------------------------------------------------


class NotFound(BrugdeskError):
    default_message = "Dit gegeven bestaat niet (meer). Misschien is het net verwijderd."


class InvalidTransition(BrugdeskError):
    default_message = "Deze statuswijziging is niet mogelijk."


class ValidationError(BrugdeskError):
    """One or more fields are invalid; ``errors`` maps field name to a Dutch message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()))


# --- documents ---------------------------------------------------------------


class LogoError(BrugdeskError):
    """The logo chosen in the settings cannot be printed on a letter."""

    default_message = (
        "Het logo voor uw brieven kan niet worden gelezen. Kies bij Instellingen een ander "
        "logo of maak het veld Logo leeg, en probeer het opnieuw."
    )


# --- what really happened on disk (never "damaged" for a healthy vault) --------


class DataDirNotFolder(VaultError):
    """The data folder given is a regular file (or lies under one)."""

    default_message = (
        "De gekozen gegevensmap is een bestand, geen map. Kies een map voor de kluis "
        "(met --data-dir of bij het starten). Er is niets veranderd."
    )


class SymlinkLoop(VaultError):
    default_message = (
        "De gegevensmap verwijst via snelkoppelingen (symbolische links) naar zichzelf. "
        "Kies de echte map van de kluis. Er is niets veranderd."
    )


class NoPermission(VaultError):
    default_message = (
        "brugdesk heeft geen toestemming om de gegevensmap te gebruiken. Controleer de "
        "rechten van de map of kies een andere map. Uw gegevens zijn onaangetast."
    )


class ReadOnlyDisk(VaultError):
    default_message = (
        "De schijf met de gegevensmap is alleen-lezen; er is niets opgeslagen. Haal de "
        "schrijfbeveiliging eraf of kies een schrijfbare map. Uw gegevens zijn onaangetast."
    )


class DiskTrouble(VaultError):
    """The disk itself reported an input/output error."""

    default_message = (
        "De schijf gaf een lees- of schrijffout. Controleer de schijf of usb-stick en "
        "probeer het opnieuw; maak zo snel mogelijk een back-up op een andere schijf."
    )


class FileInUse(VaultError):
    """A file could not be replaced: another program (a PDF reader) has it open (Windows)."""

    default_message = (
        "Het bestand kon niet worden opgeslagen, omdat het geopend is in een ander "
        "programma (bijvoorbeeld een pdf-lezer of Excel). Sluit het bestand daar en "
        "probeer het opnieuw. Er is niets opgeslagen."
    )

    @classmethod
    def about(cls, path: Path) -> FileInUse:
        return cls(
            f"Het bestand '{Path(path).name}' is geopend in een ander programma "
            "(bijvoorbeeld een pdf-lezer of Excel) en kan daarom niet worden vervangen. "
            "Sluit het bestand daar en probeer het opnieuw. Er is niets opgeslagen."
        )


class UnsafeFile(BrugdeskError):
    """A file brugdesk reads is not a regular file, is too large or too deeply nested."""

    default_message = "Dit bestand is geen gewoon bestand van brugdesk en is niet gelezen."


# --- vault: one writer, generations ------------------------------------------


class VaultInUse(VaultError):
    default_message = (
        "De kluis is al geopend in een ander venster van brugdesk of door een andere "
        "brugdesk-opdracht. Gebruik dat venster, of vergrendel of sluit het en probeer "
        "het daarna opnieuw. Er is niets geopend of veranderd."
    )


class DatabaseOlder(VaultError):
    default_message = (
        "De database is ouder dan verwacht: recente wijzigingen (bijvoorbeeld notities "
        "van de laatste keer) kunnen ontbreken. Dit gebeurt als er na een storing een "
        "bestand is weggeraakt of als er een oud bestand is teruggezet. Zet de nieuwste "
        "back-up terug met 'brugdesk-cli restore --force' of neem contact op met uw "
        "beheerder. Wilt u toch verder met de gegevens die er wel zijn, open de kluis dan "
        "één keer met 'brugdesk-cli accept-older'; daarna opent hij weer gewoon."
    )


# --- concurrent edits --------------------------------------------------------


class StaleRecord(BrugdeskError):
    """The record changed after the window loaded it; nothing was saved.

    ``current_version`` is the version now in the vault (``None`` if unknown).
    """

    default_message = (
        "Deze gegevens zijn intussen gewijzigd, in een ander scherm of door een taak. "
        "Uw wijziging is niet opgeslagen; laad de nieuwste versie en voer uw wijziging "
        "opnieuw in."
    )

    def __init__(self, message: str | None = None, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_version = current_version
