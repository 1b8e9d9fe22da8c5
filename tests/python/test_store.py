"""The token store: format, cache, modes, locking, atomic replacement, crash safety."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import threading
import warnings
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from kernel_support import offline_tokens, posix_only

from tokentoss import _fs
from tokentoss.errors import InsecureFilePermissionsWarning, StorageError
from tokentoss.store import ClientConfig, TokenData, TokenStore, default_token_path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_round_trip_keeps_every_field_and_unknown_keys(kernel_store: TokenStore) -> None:
    tokens = replace(offline_tokens(), extra={"future_key": {"nested": [1, 2]}})
    kernel_store.save(tokens)
    again = TokenStore(kernel_store.path).load()
    assert again == tokens
    raw = json.loads(kernel_store.path.read_text())
    assert raw["future_key"] == {"nested": [1, 2]}
    # tokentoss 0.1's key set and formats.
    assert raw["expiry"].endswith("+00:00")
    assert "." not in raw["expiry"]
    assert isinstance(raw["scopes"], list)
    assert raw["refresh_token"] == tokens.refresh_token


def test_null_refresh_token_is_written_as_null(kernel_store: TokenStore) -> None:
    kernel_store.save(offline_tokens(refresh_token=None))
    raw = json.loads(kernel_store.path.read_text())
    assert "refresh_token" in raw
    assert raw["refresh_token"] is None


def test_repr_hides_token_values() -> None:
    tokens = offline_tokens()
    text = repr(tokens)
    for secret in (tokens.access_token, tokens.id_token, tokens.refresh_token):
        assert secret
        assert secret not in text
    assert "alice@example.com" in text


@posix_only
def test_reads_z_suffix_naive_time_and_scope_string(kernel_store: TokenStore) -> None:
    kernel_store.path.parent.mkdir(mode=0o700, parents=True)
    kernel_store.path.write_text(
        json.dumps(
            {
                "access_token": "a",
                "id_token": "i",
                "refresh_token": "r",
                "expiry": "2030-01-02T03:04:05Z",
                "scopes": "openid email",
                "created_at": "2030-01-01T00:00:00",
            }
        )
    )
    os.chmod(kernel_store.path, 0o600)
    tokens = kernel_store.load()
    assert tokens is not None
    assert tokens.expiry == datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert tokens.created_at == datetime(2030, 1, 1, tzinfo=timezone.utc)
    assert tokens.scopes == ("openid", "email")


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (b"", "not valid JSON"),
        (b'{"access_token": "a", "id_to', "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"id_token": "SECRETVALUE", "expiry": "2030-01-01T00:00:00+00:00"}', "access_token"),
        (b'{"access_token": "SECRETVALUE", "id_token": "i", "expiry": "soon"}', "expiry"),
        (
            b'{"access_token": "SECRETVALUE", "id_token": "i", "expiry": "2030-01-01T00:00:00Z",'
            b' "scopes": [1]}',
            "scopes",
        ),
    ],
)
@posix_only
def test_bad_files_raise_storage_error_without_values(
    kernel_store: TokenStore, content: bytes, complaint: str
) -> None:
    kernel_store.path.parent.mkdir(mode=0o700, parents=True)
    kernel_store.path.write_bytes(content)
    os.chmod(kernel_store.path, 0o600)
    with pytest.raises(StorageError, match=complaint) as caught:
        kernel_store.load()
    assert "SECRETVALUE" not in str(caught.value)


def test_missing_file_is_none_and_delete_reports_it(kernel_store: TokenStore) -> None:
    assert kernel_store.load() is None
    assert kernel_store.delete() is False
    kernel_store.save(offline_tokens())
    assert kernel_store.delete() is True
    assert kernel_store.load() is None
    assert not kernel_store.path.exists()


def test_delete_keeps_the_client_file(kernel_store: TokenStore) -> None:
    kernel_store.save(
        offline_tokens(), ClientConfig("client-1", "secret", "https://t.example/token")
    )
    kernel_store.delete()
    assert kernel_store.load_client() == ClientConfig(
        "client-1", "secret", "https://t.example/token"
    )


def test_env_var_selects_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOKENTOSS_TOKEN_FILE", str(tmp_path / "x" / "t.json"))
    assert default_token_path() == tmp_path / "x" / "t.json"
    assert TokenStore().client_path == tmp_path / "x" / "client_secrets.json"
    monkeypatch.delenv("TOKENTOSS_TOKEN_FILE")
    assert default_token_path().name == "tokens.json"
    assert "tokentoss" in default_token_path().parts


@posix_only
def test_client_file_is_google_installed_format_and_keeps_other_keys(
    kernel_store: TokenStore,
) -> None:
    kernel_store.path.parent.mkdir(mode=0o700, parents=True)
    kernel_store.client_path.write_text(
        json.dumps(
            {
                "installed": {
                    "client_id": "old",
                    "client_secret": "s",
                    "redirect_uris": ["http://localhost"],
                    "project_id": "p",
                    "auth_uri": "https://old.example/auth",
                }
            }
        )
    )
    os.chmod(kernel_store.client_path, 0o600)
    client = ClientConfig("client-2", None, "https://t.example/token", None, "https://i.example")
    kernel_store.save(offline_tokens(), client)
    raw = json.loads(kernel_store.client_path.read_text())["installed"]
    assert raw["client_id"] == "client-2"
    assert raw["client_secret"] is None  # present: tokentoss 0.1 indexes it
    assert raw["redirect_uris"] == ["http://localhost"]
    assert raw["project_id"] == "p"
    assert "auth_uri" not in raw  # a stale optional value does not survive
    assert kernel_store.load_client() == client
    kernel_store.client_path.write_text(json.dumps({"web": {"client_id": "w"}}))
    assert kernel_store.load_client() == ClientConfig("w")


def test_warm_load_is_cached_until_the_file_changes(kernel_store: TokenStore) -> None:
    first = offline_tokens()
    kernel_store.save(first)
    reader = TokenStore(kernel_store.path)
    loaded = reader.load()
    assert loaded == first
    assert reader.load() is loaded  # the same object: no re-read, no re-parse
    second = offline_tokens()
    TokenStore(kernel_store.path).save(second)  # another writer, as another process would
    assert reader.load() == second


@posix_only
def test_writes_create_0700_folder_and_0600_files(kernel_store: TokenStore) -> None:
    old_umask = os.umask(0o022)
    try:
        kernel_store.save(offline_tokens(), ClientConfig("c", "s", "https://t.example/token"))
    finally:
        os.umask(old_umask)
    assert mode(kernel_store.path.parent) == 0o700
    assert mode(kernel_store.path) == 0o600
    assert mode(kernel_store.client_path) == 0o600
    assert mode(kernel_store.lock_path) == 0o600


@posix_only
def test_loose_file_and_folder_are_fixed_with_a_warning(kernel_store: TokenStore) -> None:
    kernel_store.save(offline_tokens())
    os.chmod(kernel_store.path, 0o644)
    os.chmod(kernel_store.path.parent, 0o755)  # noqa: S103 (the loose mode under test)
    reader = TokenStore(kernel_store.path)
    with pytest.warns(InsecureFilePermissionsWarning) as caught:
        assert reader.load() is not None
    messages = " ".join(str(w.message) for w in caught)
    assert "0o644" in messages
    assert "0o755" in messages
    assert mode(kernel_store.path) == 0o600
    assert mode(kernel_store.path.parent) == 0o700


@posix_only
def test_loose_file_mode_is_fixed_on_the_open_file_not_by_name(
    kernel_store: TokenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    kernel_store.save(offline_tokens())
    os.chmod(kernel_store.path, 0o644)

    def by_name(*args: object, **kwargs: object) -> None:
        raise PermissionError("chmod by name: the path may name another file by now")

    monkeypatch.setattr(os, "chmod", by_name)
    with pytest.warns(InsecureFilePermissionsWarning, match="set it to 0o600"):
        assert TokenStore(kernel_store.path).load() is not None
    assert mode(kernel_store.path) == 0o600


@posix_only
def test_shared_sticky_folder_is_reported_not_changed(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)  # noqa: S103 (a /tmp-like folder)
    store = TokenStore(shared / "tokens.json")
    with pytest.warns(InsecureFilePermissionsWarning, match="private folder"):
        store.save(offline_tokens())
    assert mode(shared) == 0o1777
    assert mode(store.path) == 0o600


def test_lock_is_reentrant_and_excludes_other_threads(kernel_store: TokenStore) -> None:
    trying, inside = threading.Event(), threading.Event()
    order: list[str] = []

    def other() -> None:
        trying.set()
        with TokenStore(kernel_store.path).lock():
            inside.set()
            order.append("other")

    with kernel_store.lock(), kernel_store.lock():  # nested: no deadlock
        thread = threading.Thread(target=other)
        thread.start()
        assert trying.wait(10)
        assert not inside.wait(0.2)  # the thread had every chance to (wrongly) get in
        order.append("owner")
    thread.join(10)
    assert inside.is_set()  # and gets in once the owner lets go
    assert order == ["owner", "other"]


def _increment(path: Path, times: int) -> None:
    store = TokenStore(path)
    for _ in range(times):
        with store.lock():
            tokens = store.load()
            assert tokens is not None
            count = int(tokens.extra.get("count", 0))
            store.save(replace(tokens, extra={**tokens.extra, "count": count + 1}))


@posix_only
def test_no_lost_write_across_processes_and_threads(kernel_store: TokenStore) -> None:
    kernel_store.save(offline_tokens())
    pids = []
    for _ in range(4):
        pid = os.fork()
        if pid == 0:  # child: threads too, to mix both kinds of contention
            code = 0
            try:
                threads = [
                    threading.Thread(target=_increment, args=(kernel_store.path, 10))
                    for _ in range(2)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            except BaseException:
                code = 1
            os._exit(code)
        pids.append(pid)
    _increment(kernel_store.path, 20)
    for pid in pids:
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    final = TokenStore(kernel_store.path).load()
    assert final is not None
    assert final.extra["count"] == 4 * 2 * 10 + 20


@posix_only
def test_readers_never_see_a_torn_file(kernel_store: TokenStore) -> None:
    variants = [
        replace(offline_tokens(), extra={"pad": str(i) * (20_000 * (i + 1))}) for i in range(3)
    ]
    kernel_store.save(variants[0])
    first_read, go = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(go)
        os.read(first_read, 1)  # start writing once the reader has read: they overlap
        writer = TokenStore(kernel_store.path)
        for i in range(150):
            writer.save(variants[i % 3])
        os._exit(0)
    os.close(first_read)
    seen = set()
    reads = 0
    while True:
        done, _ = os.waitpid(pid, os.WNOHANG)
        tokens = TokenStore(kernel_store.path).load()  # a new store: a real read every time
        reads += 1
        assert tokens in variants
        seen.add(variants.index(tokens))
        if reads == 1:
            os.write(go, b"!")
            os.close(go)
        if done:
            break
    assert reads > 1
    # Variant 0 before the writer started, its last write (variant 149 % 3 = 2) after it ended, and
    # whatever the reads in between caught: the reader really raced a writer.
    assert len(seen) > 1


def _big_variant(i: int) -> TokenData:
    return replace(offline_tokens(), extra={"pad": chr(ord("a") + i) * 600_000})


@posix_only
def test_writer_killed_mid_write_200_times_never_leaves_an_unreadable_file(
    kernel_store: TokenStore,
) -> None:
    variants = [_big_variant(i) for i in range(2)]
    kernel_store.save(variants[0])
    rng = random.Random(1234)
    leftovers_seen = 0
    for round_ in range(200):
        ready_read, ready_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(ready_read)
            writer = TokenStore(kernel_store.path)
            os.write(ready_write, b"!")  # writing starts now
            i = 0
            while True:  # rewrite until killed
                writer.save(variants[(round_ + i) % 2])
                i += 1
        os.close(ready_write)
        os.read(ready_read, 1)  # on a busy machine the child may take a while to get going
        os.close(ready_read)
        # Kill at a random point of the write cycle (a few ms long with fsync).
        threading.Event().wait(rng.uniform(0.0005, 0.006))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        leftovers_seen += len(list(kernel_store.path.parent.glob(".tokens.json.*.tmp")))
        assert TokenStore(kernel_store.path).load() in variants
    # Some kills landed mid-write (a temp file was left behind), so the test did test that.
    assert leftovers_seen > 0
    kernel_store.save(variants[0])  # the next writer sweeps the dead writers' temp files
    assert list(kernel_store.path.parent.glob(".tokens.json.*.tmp")) == []


def test_save_sweeps_the_dead_writers_temp_files_of_both_files(kernel_store: TokenStore) -> None:
    kernel_store.save(offline_tokens())
    folder = kernel_store.path.parent
    # What a writer killed mid-write leaves (see the test above), for each file it writes.
    leftovers = [folder / ".tokens.json.k1x2.tmp", folder / ".client_secrets.json.k3y4.tmp"]
    unrelated = folder / ".notes.txt.k5z6.tmp"
    for path in (*leftovers, unrelated):
        path.write_text("half")
    kernel_store.save(offline_tokens(), ClientConfig("client-1", "s", "https://t.example/token"))
    assert [p for p in leftovers if p.exists()] == []
    assert unrelated.exists()


@posix_only
def test_delete_makes_the_unlink_durable(
    kernel_store: TokenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    kernel_store.save(offline_tokens())
    synced: list[Path] = []
    real = _fs.fsync_folder

    def spy(folder: Path) -> None:
        synced.append(folder)
        real(folder)

    monkeypatch.setattr(_fs, "fsync_folder", spy)
    assert kernel_store.delete()
    assert not kernel_store.path.exists()
    assert synced == [kernel_store.path.parent]


@posix_only
def test_files_of_another_user_are_refused(
    kernel_store: TokenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    kernel_store.save(offline_tokens(), ClientConfig("client-1", "s", "https://t.example/t"))
    # As if another user had created both files (they keep mode 0600: only the owner differs).
    me = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: me + 4242)
    with pytest.raises(StorageError, match="another user"):
        TokenStore(kernel_store.path).load()
    with pytest.raises(StorageError, match="another user"):
        TokenStore(kernel_store.path).load_client()


@posix_only
def test_lock_file_that_cannot_be_opened_is_a_storage_error(kernel_store: TokenStore) -> None:
    kernel_store.save(offline_tokens())
    kernel_store.lock_path.unlink()
    elsewhere = kernel_store.path.parent / "elsewhere"
    kernel_store.lock_path.symlink_to(elsewhere)  # planted: must not be followed
    with pytest.raises(StorageError, match="lock file"):
        TokenStore(kernel_store.path).save(offline_tokens())
    assert not elsewhere.exists()
    kernel_store.lock_path.unlink()
    kernel_store.lock_path.mkdir()  # not a file at all
    with pytest.raises(StorageError, match="lock file"):
        TokenStore(kernel_store.path).save(offline_tokens())


@posix_only
def test_failed_save_raises_storage_error_and_leaves_no_temp_file(
    kernel_store: TokenStore,
) -> None:
    kernel_store.path.parent.mkdir(mode=0o700)
    kernel_store.path.mkdir()  # a folder where the file should be: the replace fails
    with pytest.raises(StorageError, match="Cannot write"):
        kernel_store.save(offline_tokens())
    assert kernel_store.path.is_dir()
    assert list(kernel_store.path.parent.glob(".tokens.json.*.tmp")) == []


def test_expires_within() -> None:
    now = datetime(2030, 1, 1, tzinfo=timezone.utc)
    tokens = replace(offline_tokens(), expiry=now + timedelta(minutes=5))
    assert tokens.expires_within(timedelta(minutes=5), now)
    assert not tokens.expires_within(timedelta(minutes=4), now)
    with pytest.raises(ValueError, match="aware"):
        replace(tokens, expiry=datetime(2030, 1, 1))


def test_no_warning_for_a_private_file(kernel_store: TokenStore) -> None:
    kernel_store.save(offline_tokens())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert TokenStore(kernel_store.path).load() is not None
