"""Local accounts: `stuurhut user` round trip, argon2 hashes on disk, file mode, and login rate limiting."""

from __future__ import annotations

import io
import json
import stat
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from dashboard import accounts
from dashboard.accounts import Account, AccountsError, AccountStore, TooManyAttempts
from etl.cli import main

# Throwaway test passwords, generated for these tests only.
PW_KERN = "kern-test-Wachtwoord-1"
PW_DEEL = "deel-test-Wachtwoord-2"


def cheap_hasher() -> PasswordHasher:
    # Same algorithm (argon2id), tiny cost: the limiter tests verify dozens of times.
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


class Clock:
    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def acc_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "acc" / "accounts.json"
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(path))
    return path


def run_cli(argv: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(argv)


def test_accounts_path_defaults_next_to_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("STUURHUT_ACCOUNTS", raising=False)
    monkeypatch.setenv("STUURHUT_DB", str(tmp_path / "w" / "x.duckdb"))
    assert accounts.accounts_path() == tmp_path / "w" / "accounts.json"
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "elders.json"))
    assert accounts.accounts_path() == tmp_path / "elders.json"


def test_cli_round_trip(acc_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    rc = run_cli(["user", "add", "kern", "--role", "kernteam", "--deal", "CDOR", "--password-stdin"],
                 monkeypatch, PW_KERN + "\n")
    assert rc == 0
    assert capsys.readouterr().out == f"Account kern (kernteam voor deal CDOR) toegevoegd in {acc_path}.\n"
    assert run_cli(["user", "add", "Beheerder", "--role", "beheer", "--password-stdin"], monkeypatch, PW_DEEL) == 0
    capsys.readouterr()

    assert run_cli(["user", "list"], monkeypatch) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["naam", "rol", "deal", "gewijzigd"]
    assert [line.split()[:3] for line in lines[1:]] == [["Beheerder", "beheer", "-"], ["kern", "kernteam", "CDOR"]]

    text = acc_path.read_text(encoding="utf-8")
    assert PW_KERN not in text and PW_DEEL not in text
    data = json.loads(text)
    assert sorted(data["users"]) == ["beheerder", "kern"]
    assert data["users"]["kern"]["hash"].startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert data["users"]["kern"]["hash"] != data["users"]["beheerder"]["hash"]
    assert stat.S_IMODE(acc_path.stat().st_mode) == 0o600
    # Atomic writes leave no temp files behind.
    assert sorted(p.name for p in acc_path.parent.iterdir()) == ["accounts.json", "accounts.lock.json"]

    assert accounts.verify("kern", PW_KERN) == Account("kern", "kernteam", "CDOR",
                                                      data["users"]["kern"]["created"],
                                                      data["users"]["kern"]["updated"])
    assert accounts.verify("KERN", PW_KERN).name == "kern"  # names match case-insensitively
    assert accounts.verify("kern", PW_DEEL) is None

    assert run_cli(["user", "remove", "KERN"], monkeypatch) == 0
    assert capsys.readouterr().out == "Account kern verwijderd.\n"
    assert [u.name for u in accounts.list_users()] == ["Beheerder"]
    assert accounts.verify("kern", PW_KERN) is None

    assert run_cli(["user", "remove", "kern"], monkeypatch) == 1
    assert capsys.readouterr().err == "stuurhut: geen account met de naam 'kern'.\n"

    assert run_cli(["user", "remove", "Beheerder"], monkeypatch) == 0
    assert "demomodus" in capsys.readouterr().err
    assert accounts.has_accounts() is False
    assert run_cli(["user", "list"], monkeypatch) == 0
    assert capsys.readouterr().out == f"Nog geen accounts in {acc_path} (het dashboard draait in demomodus).\n"


def test_cli_add_refusals(acc_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    assert run_cli(["user", "add", "kern", "--role", "kernteam", "--password-stdin"], monkeypatch, PW_KERN) == 2
    assert capsys.readouterr().err == (
        "stuurhut: fout in de opdracht: De rol kernteam hoort bij één deal: geef --deal CODE op.\n"
    )
    assert run_cli(["user", "add", "baas", "--role", "beheer", "--deal", "CDOR", "--password-stdin"],
                   monkeypatch, PW_KERN) == 2
    assert "De rol beheer hoort niet bij één deal" in capsys.readouterr().err
    assert run_cli(["user", "add", "kern", "--role", "deelnemer", "--deal", "CDOR", "--password-stdin"],
                   monkeypatch, "123456789\n") == 1
    assert capsys.readouterr().err == "stuurhut: Wachtwoord te kort: gebruik minstens 10 tekens.\n"
    assert run_cli(["user", "add", "met spatie", "--role", "publiek", "--password-stdin"], monkeypatch, PW_KERN) == 2
    assert "Ongeldige naam 'met spatie'" in capsys.readouterr().err
    # Not a terminal and no --password-stdin: refuse rather than hang.
    assert run_cli(["user", "add", "kern", "--role", "publiek"], monkeypatch, PW_KERN) == 2
    assert "gebruik --password-stdin" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:  # argparse choices
        run_cli(["user", "add", "kern", "--role", "onzin"], monkeypatch)
    assert exit_info.value.code == 2
    assert not acc_path.exists()


def test_cli_interactive_asks_twice(acc_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    answers = iter([PW_KERN, PW_KERN + "x"])
    monkeypatch.setattr(sys, "stdin", Tty())
    monkeypatch.setattr(accounts.getpass, "getpass", lambda prompt: next(answers))
    assert main(["user", "add", "kern", "--role", "kernteam", "--deal", "CDOR"]) == 1
    assert capsys.readouterr().err == "stuurhut: De wachtwoorden zijn niet gelijk; er is niets gewijzigd.\n"
    assert not acc_path.exists()

    prompts: list[str] = []
    monkeypatch.setattr(accounts.getpass, "getpass", lambda prompt: prompts.append(prompt) or PW_KERN)
    assert main(["user", "add", "kern", "--role", "kernteam", "--deal", "CDOR"]) == 0
    assert prompts == ["Wachtwoord: ", "Wachtwoord (nogmaals): "]
    assert accounts.get_user("kern").role == "kernteam"


def test_add_existing_updates_role_keeps_created(tmp_path: Path) -> None:
    st = AccountStore(tmp_path / "a.json", hasher=cheap_hasher())
    first, new = st.add_user("kern", "deelnemer", "CDOR", PW_KERN)
    assert new is True
    second, new = st.add_user("Kern", "kernteam", "CDOR", PW_DEEL)
    assert new is False
    assert (second.name, second.role, second.created) == ("Kern", "kernteam", first.created)
    assert st.verify("kern", PW_KERN) is None
    assert st.verify("kern", PW_DEEL).role == "kernteam"
    assert len(st.list_users()) == 1


def test_rate_limit_locks_and_releases(tmp_path: Path) -> None:
    clock = Clock()
    st = AccountStore(tmp_path / "a.json", hasher=cheap_hasher(), clock=clock)
    st.add_user("kern", "kernteam", "CDOR", PW_KERN)
    for _ in range(4):
        assert st.verify("kern", "fout-wachtwoord") is None
    assert st.verify("kern", PW_KERN).name == "kern"  # 4 failures: not yet locked; success resets
    for _ in range(5):
        assert st.verify("kern", "fout-wachtwoord") is None
    with pytest.raises(TooManyAttempts) as exc:
        st.verify("kern", PW_KERN)  # locked: even the right password is refused
    assert exc.value.retry_after == 60
    assert str(exc.value) == "Te veel pogingen, probeer het over 60 seconden opnieuw."
    clock.t += 59.5
    with pytest.raises(TooManyAttempts) as exc:
        st.verify("kern", PW_KERN)
    assert exc.value.retry_after == 1
    clock.t += 0.5
    # Window over; 5 more failures lock for twice as long.
    for _ in range(5):
        assert st.verify("kern", "fout-wachtwoord") is None
    with pytest.raises(TooManyAttempts) as exc:
        st.verify("kern", PW_KERN)
    assert exc.value.retry_after == 120
    clock.t += 120
    assert st.verify("kern", PW_KERN).role == "kernteam"


def test_unknown_names_cost_a_hash_and_lock_alike(tmp_path: Path) -> None:
    calls: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, hash, password):  # noqa: A002 - argon2's own parameter name
            calls.append(hash[:9])
            return super().verify(hash, password)

    clock = Clock()
    st = AccountStore(tmp_path / "a.json", hasher=Counting(time_cost=1, memory_cost=8, parallelism=1), clock=clock)
    st.add_user("kern", "kernteam", "CDOR", PW_KERN)
    assert st.verify("niemand", PW_KERN) is None
    assert st.verify("kern", "fout-wachtwoord") is None
    assert calls == ["$argon2id", "$argon2id"]  # one argon2 verification each, known or not
    for _ in range(4):
        st.verify("niemand", PW_KERN)
    with pytest.raises(TooManyAttempts):
        st.verify("niemand", PW_KERN)


def test_rate_limit_per_client(tmp_path: Path) -> None:
    clock = Clock()
    st = AccountStore(tmp_path / "a.json", hasher=cheap_hasher(), clock=clock)
    st.add_user("kern", "kernteam", "CDOR", PW_KERN)
    # Spraying many names from one address: 20 failures lock the address, whatever the name.
    for i in range(20):
        assert st.verify(f"naam{i}", "fout-wachtwoord", client="192.0.2.7") is None
    with pytest.raises(TooManyAttempts) as exc:
        st.verify("kern", PW_KERN, client="192.0.2.7")
    assert exc.value.retry_after == 60
    # Another address is not affected.
    assert st.verify("kern", PW_KERN, client="192.0.2.8").name == "kern"


def test_weak_hash_is_upgraded_on_login(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    AccountStore(path, hasher=cheap_hasher()).add_user("kern", "kernteam", "CDOR", PW_KERN)
    assert "m=8,t=1,p=1" in path.read_text()
    assert AccountStore(path).verify("kern", PW_KERN).name == "kern"
    assert "m=65536,t=3,p=4" in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_corrupt_file_is_an_error_not_empty(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("{niet: json", encoding="utf-8")
    st = AccountStore(path, hasher=cheap_hasher())
    with pytest.raises(AccountsError, match="onleesbaar"):
        st.has_accounts()
    with pytest.raises(AccountsError):
        st.verify("kern", PW_KERN)


def test_file_changes_by_another_process_are_seen(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    server = AccountStore(path, hasher=cheap_hasher())
    assert server.has_accounts() is False
    AccountStore(path, hasher=cheap_hasher()).add_user("deel", "deelnemer", "CDOR", PW_DEEL)
    assert server.get("deel").deal == "CDOR"
    AccountStore(path, hasher=cheap_hasher()).remove_user("deel")
    assert server.get("deel") is None
