"""Local dashboard accounts: an argon2-hashed JSON file beside the warehouse, login rate limiting and `stuurhut user`."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import getpass
import json
import os
import re
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES: tuple[str, ...] = ("publiek", "deelnemer", "kernteam", "beheer")
DEAL_ROLES: frozenset[str] = frozenset({"deelnemer", "kernteam"})
MIN_PASSWORD_LENGTH = 10
FORMAT_VERSION = 1
NAME_RE = re.compile(r"^[\w.@+-]{2,100}$")

# Failed logins: after MAX_FAILURES for one name (CLIENT_FACTOR times as many for one client, since an office
# shares one address) the key is locked for LOCK_SECONDS, doubling with every further lock up to MAX_LOCK_SECONDS.
MAX_FAILURES = 5
CLIENT_FACTOR = 4
LOCK_SECONDS = 60
MAX_LOCK_SECONDS = 3600
# A key without failures for this long starts afresh.
FORGET_SECONDS = 3600


class AccountsError(Exception):
    """A problem with the accounts file or a request on it; the message is Dutch and meant for the user."""


class TooManyAttempts(Exception):
    """Login refused without checking the password: too many recent failures for this name or client."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Te veel pogingen, probeer het over {retry_after} seconden opnieuw.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Account:
    """One account as the dashboard sees it (the hash never leaves this module)."""

    name: str
    role: str
    deal: str | None
    created: str = ""
    updated: str = ""


def accounts_path() -> Path:
    """`$STUURHUT_ACCOUNTS`, else `accounts.json` beside the warehouse DB (which is swapped on every load)."""
    env = os.environ.get("STUURHUT_ACCOUNTS")
    if env:
        return Path(env)
    from etl.cli import default_db

    return default_db().parent / "accounts.json"


def _now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _key(name: str) -> str:
    # Names (often e-mail addresses) match case-insensitively, as people type them.
    return name.strip().casefold()


def check_name(name: str) -> str:
    name = name.strip()
    if not NAME_RE.match(name):
        raise AccountsError(
            f"Ongeldige naam {name!r}: gebruik 2 tot 100 letters, cijfers of . _ - + @ (geen spaties)."
        )
    return name


def check_role_deal(role: str, deal: str | None) -> str | None:
    if role not in ROLES:
        raise AccountsError(f"Onbekende rol {role!r}; kies uit: {', '.join(ROLES)}.")
    deal = (deal or "").strip() or None
    if role in DEAL_ROLES and deal is None:
        raise AccountsError(f"De rol {role} hoort bij één deal: geef --deal CODE op.")
    if role not in DEAL_ROLES and deal is not None:
        raise AccountsError(f"De rol {role} hoort niet bij één deal: laat --deal weg.")
    return deal


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountsError(f"Wachtwoord te kort: gebruik minstens {MIN_PASSWORD_LENGTH} tekens.")


@dataclass
class _Strike:
    failures: int = 0
    locked_until: float = 0.0
    last: float = 0.0


@dataclass
class RateLimiter:
    """Counts failed logins per key in memory (one server process); `clock` is injectable for tests."""

    max_failures: int = MAX_FAILURES
    lock_seconds: int = LOCK_SECONDS
    max_lock_seconds: int = MAX_LOCK_SECONDS
    forget_seconds: int = FORGET_SECONDS
    clock: Callable[[], float] = time.time
    _state: dict[str, _Strike] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _get(self, key: str, now: float) -> _Strike:
        strike = self._state.get(key)
        if strike is None or (now - strike.last > self.forget_seconds and now >= strike.locked_until):
            strike = self._state[key] = _Strike(last=now)
        return strike

    def retry_after(self, key: str, now: float | None = None) -> int:
        """Seconds until `key` may try again (0: not locked)."""
        now = self.clock() if now is None else now
        with self._lock:
            strike = self._state.get(key)
            if strike is None or strike.locked_until <= now:
                return 0
            return max(1, int(strike.locked_until - now + 0.999))

    def fail(self, key: str, limit: int | None = None) -> None:
        limit = limit or self.max_failures
        now = self.clock()
        with self._lock:
            strike = self._get(key, now)
            strike.failures += 1
            strike.last = now
            if strike.failures % limit == 0:
                level = strike.failures // limit
                seconds = min(self.max_lock_seconds, self.lock_seconds * 2 ** (level - 1))
                strike.locked_until = now + seconds
            # Bound memory under a spray of invented names: forget the stalest unlocked keys.
            if len(self._state) > 10_000:
                for k in sorted(self._state, key=lambda k: self._state[k].last)[:1000]:
                    if self._state[k].locked_until <= now:
                        del self._state[k]

    def reset(self, key: str) -> None:
        with self._lock:
            self._state.pop(key, None)


class AccountStore:
    """The accounts file: read on change (mtime), written atomically (temp file + os.replace, mode 0600)."""

    def __init__(
        self,
        path: Path,
        *,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.hasher = hasher or PasswordHasher()
        self.limiter = RateLimiter(clock=clock)
        self._cache: tuple[tuple[int, int, int], dict] | None = None
        self._dummy_hash: str | None = None
        self._mutex = threading.Lock()

    # -- file -------------------------------------------------------------------------------------------

    @property
    def lock_path(self) -> Path:
        # accounts.lock.json, so the `data/accounts*.json` ignore rule covers it too.
        return self.path.with_name(f"{self.path.stem}.lock{self.path.suffix or '.json'}")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Serialise read-modify-write across processes (two `stuurhut user add` at once)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _read(self) -> dict:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return {"version": FORMAT_VERSION, "users": {}}
        sig = (st.st_ino, st.st_mtime_ns, st.st_size)
        with self._mutex:
            if self._cache is not None and self._cache[0] == sig:
                return self._cache[1]
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("users"), dict):
                raise ValueError("no users object")
        except (OSError, ValueError) as exc:
            raise AccountsError(f"Het accountbestand {self.path} is onleesbaar ({exc}).") from exc
        with self._mutex:
            self._cache = (sig, data)
        return data

    def _write(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=2, ensure_ascii=False, sort_keys=True)
                fh.write("\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        with self._mutex:
            self._cache = None

    # -- accounts ---------------------------------------------------------------------------------------

    @staticmethod
    def _account(rec: dict) -> Account:
        return Account(
            name=rec["name"], role=rec["role"], deal=rec.get("deal"),
            created=rec.get("created", ""), updated=rec.get("updated", ""),
        )

    def has_accounts(self) -> bool:
        return bool(self._read()["users"])

    def list_users(self) -> list[Account]:
        users = self._read()["users"]
        return [self._account(users[k]) for k in sorted(users)]

    def get(self, name: str) -> Account | None:
        rec = self._read()["users"].get(_key(name))
        return self._account(rec) if rec else None

    def add_user(self, name: str, role: str, deal: str | None, password: str) -> tuple[Account, bool]:
        """Add or change an account; returns it and whether it is new."""
        name = check_name(name)
        deal = check_role_deal(role, deal)
        check_password(password)
        digest = self.hasher.hash(password)
        with self._locked():
            data = self._read()
            users = dict(data["users"])
            old = users.get(_key(name))
            now = _now_iso()
            users[_key(name)] = {
                "name": name, "role": role, "deal": deal, "hash": digest,
                "created": old.get("created", now) if old else now, "updated": now,
            }
            self._write({**data, "version": FORMAT_VERSION, "users": users})
        self.limiter.reset("name:" + _key(name))
        return self._account(users[_key(name)]), old is None

    def remove_user(self, name: str) -> Account | None:
        """Remove the account; returns it, or None when there was none by that name."""
        with self._locked():
            data = self._read()
            users = dict(data["users"])
            rec = users.pop(_key(name), None)
            if rec is None:
                return None
            self._write({**data, "users": users})
        self.limiter.reset("name:" + _key(name))
        return self._account(rec)

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(24))
        return self._dummy_hash

    def verify(self, name: str, password: str, client: str | None = None) -> Account | None:
        """The account when name and password match, else None; raises TooManyAttempts while locked.

        Unknown names cost the same argon2 work as known ones and are counted and locked alike, so neither
        the timing nor the messages tell whether a name exists.
        """
        keys = [("name:" + _key(name), self.limiter.max_failures)]
        if client:
            keys.append(("client:" + client, self.limiter.max_failures * CLIENT_FACTOR))
        wait = max(self.limiter.retry_after(k) for k, _ in keys)
        if wait:
            raise TooManyAttempts(wait)
        rec = self._read()["users"].get(_key(name)) if name.strip() else None
        ok = False
        try:
            ok = self.hasher.verify(rec["hash"] if rec else self._dummy(), password)
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or rec is None:
            for k, limit in keys:
                self.limiter.fail(k, limit)
            return None
        self.limiter.reset(keys[0][0])
        if self.hasher.check_needs_rehash(rec["hash"]):
            with contextlib.suppress(AccountsError, OSError):
                self._rehash(rec["name"], password)
        return self._account(rec)

    def _rehash(self, name: str, password: str) -> None:
        with self._locked():
            data = self._read()
            users = dict(data["users"])
            if _key(name) in users:
                users[_key(name)] = {**users[_key(name)], "hash": self.hasher.hash(password)}
                self._write({**data, "users": users})


# -- module-level API: one store per path for the whole server process (so the rate limiter is shared) -----

_stores: dict[Path, AccountStore] = {}
_stores_lock = threading.Lock()


def store(path: Path | None = None) -> AccountStore:
    p = (Path(path) if path is not None else accounts_path()).resolve()
    with _stores_lock:
        if p not in _stores:
            _stores[p] = AccountStore(p)
        return _stores[p]


def add_user(name: str, role: str, deal: str | None, password: str, *, path: Path | None = None) -> Account:
    return store(path).add_user(name, role, deal, password)[0]


def remove_user(name: str, *, path: Path | None = None) -> Account | None:
    return store(path).remove_user(name)


def list_users(*, path: Path | None = None) -> list[Account]:
    return store(path).list_users()


def get_user(name: str, *, path: Path | None = None) -> Account | None:
    return store(path).get(name)


def has_accounts(*, path: Path | None = None) -> bool:
    return store(path).has_accounts()


def verify(name: str, password: str, client: str | None = None, *, path: Path | None = None) -> Account | None:
    return store(path).verify(name, password, client)


# -- `stuurhut user` ---------------------------------------------------------------------------------------


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise _Usage("geen terminal om het wachtwoord te vragen: gebruik --password-stdin.")
    first = getpass.getpass("Wachtwoord: ")
    second = getpass.getpass("Wachtwoord (nogmaals): ")
    if first != second:
        raise AccountsError("De wachtwoorden zijn niet gelijk; er is niets gewijzigd.")
    return first


class _Usage(Exception):
    pass


def cli_user(args: argparse.Namespace) -> int:
    """`stuurhut user add|remove|list`: exit 0 done, 1 refused (short password, unknown name), 2 usage."""
    path = Path(args.accounts) if getattr(args, "accounts", None) else accounts_path()
    st = store(path)
    cmd = args.user_command
    try:
        if cmd == "list":
            users = st.list_users()
            if not users:
                print(f"Nog geen accounts in {path} (het dashboard draait in demomodus).")
                return 0
            rows = [("naam", "rol", "deal", "gewijzigd")] + [
                (u.name, u.role, u.deal or "-", u.updated or u.created) for u in users
            ]
            widths = [max(len(r[i]) for r in rows) for i in range(4)]
            for r in rows:
                print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
            return 0
        if cmd == "remove":
            removed = st.remove_user(args.name)
            if removed is None:
                print(f"stuurhut: geen account met de naam {args.name!r}.", file=sys.stderr)
                return 1
            print(f"Account {removed.name} verwijderd.")
            if not st.has_accounts():
                print(
                    "Let op: er zijn nu geen accounts meer; het dashboard staat in demomodus (iedereen ziet alles).",
                    file=sys.stderr,
                )
            return 0
        if cmd == "add":
            try:
                check_name(args.name)
                check_role_deal(args.role, args.deal)
            except AccountsError as exc:
                raise _Usage(str(exc)) from exc
            password = _read_password(args)
            account, new = st.add_user(args.name, args.role, args.deal, password)
            where = f" voor deal {account.deal}" if account.deal else ""
            verb = "toegevoegd" if new else "bijgewerkt"
            print(f"Account {account.name} ({account.role}{where}) {verb} in {path}.")
            return 0
    except _Usage as exc:
        print(f"stuurhut: fout in de opdracht: {exc}", file=sys.stderr)
        return 2
    except AccountsError as exc:
        print(f"stuurhut: {exc}", file=sys.stderr)
        return 1
    print(f"stuurhut: onbekende opdracht user {cmd!r}.", file=sys.stderr)
    return 2
