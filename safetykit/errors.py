"""Exit codes and the errors that carry them.

Every error a person can meet is a ``SafetykitError`` with one calm sentence (``message``), an
optional next step (``hint``) and an ``ExitStatus``. The command-line layer turns them into output;
nothing below it prints or exits.
"""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """Documented exit codes (README, "Exit codes")."""

    OK = 0
    ERROR = 1  # something unexpected went wrong inside safetykit
    USAGE = 2  # unknown command, option or value (Typer/Click use 2 as well)
    VAULT_UNREADABLE = 3  # the saved data is corrupt, tampered with or from a newer safetykit
    LOCKED = 4  # wrong passphrase, locked keyring, or the key is missing
    KEYRING_UNAVAILABLE = 5  # no usable keyring, or it did not answer in time
    NOT_A_TERMINAL = 6  # a question must be asked but there is no terminal
    STORAGE_FAILED = 7  # the data folder cannot be written (permissions, full disk)
    BAD_INPUT = 8  # a file given to safetykit cannot be used (CSV, pwned file)
    NETWORK = 9  # an online check could not be done
    BUSY = 10  # another safetykit window held the data for too long; nothing was changed
    NOT_SET_UP = 11  # nothing is stored here yet: choose how it is protected first
    NO_ADB = 12  # safetykit device: adb (Android's platform tools) is not installed
    NO_PHONE = 13  # safetykit device: no phone attached (or not the one --serial named)
    PHONE_NOT_ALLOWED = 14  # the phone has not allowed this computer yet (its USB prompt)
    SEVERAL_PHONES = 15  # several phones attached, no --serial, and no terminal to ask
    PHONE_GONE = 16  # the phone was unplugged or went offline during the check
    PHONE_TIMEOUT = 17  # the phone or adb did not answer in time
    INTERRUPTED = 130  # Ctrl-C: quick exit


class SafetykitError(Exception):
    """An error with a calm message for the person and an exit status."""

    status: ExitStatus = ExitStatus.ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(SafetykitError):
    status = ExitStatus.USAGE


class VaultUnreadableError(SafetykitError):
    status = ExitStatus.VAULT_UNREADABLE


class LockedError(SafetykitError):
    status = ExitStatus.LOCKED


class KeyringUnavailableError(SafetykitError):
    status = ExitStatus.KEYRING_UNAVAILABLE


class NotATerminalError(SafetykitError):
    status = ExitStatus.NOT_A_TERMINAL


class StorageError(SafetykitError):
    status = ExitStatus.STORAGE_FAILED


class BadInputError(SafetykitError):
    status = ExitStatus.BAD_INPUT


class NetworkError(SafetykitError):
    status = ExitStatus.NETWORK


class BusyError(SafetykitError):
    status = ExitStatus.BUSY


class NotSetUpError(SafetykitError):
    status = ExitStatus.NOT_SET_UP


class NoAdbError(SafetykitError):
    status = ExitStatus.NO_ADB


class NoPhoneError(SafetykitError):
    status = ExitStatus.NO_PHONE


class PhoneNotAllowedError(SafetykitError):
    status = ExitStatus.PHONE_NOT_ALLOWED


class SeveralPhonesError(SafetykitError):
    status = ExitStatus.SEVERAL_PHONES


class PhoneGoneError(SafetykitError):
    status = ExitStatus.PHONE_GONE


class PhoneTimeoutError(SafetykitError):
    status = ExitStatus.PHONE_TIMEOUT
