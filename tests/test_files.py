"""write_atomically: the whole new file or the old one, never half; ordinary permissions."""

import os
import stat

import pytest

from tinygrad_edu.files import write_atomically


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_text_as_utf8_and_bytes_as_they_are(tmp_path):
    assert write_atomically(tmp_path / "a.txt", "∂L/∂w = 0.5\n") == tmp_path / "a.txt"
    assert (tmp_path / "a.txt").read_bytes() == "∂L/∂w = 0.5\n".encode()
    write_atomically(str(tmp_path / "b.bin"), b"\x00\xff")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"
    assert leftovers(tmp_path) == []


def test_the_file_gets_the_mode_open_gives_a_new_file(tmp_path):
    (tmp_path / "by_open.txt").write_text("x")  # 0o666 less the umask
    write_atomically(tmp_path / "atomic.txt", "x")
    mode = stat.S_IMODE((tmp_path / "atomic.txt").stat().st_mode)
    assert mode == stat.S_IMODE((tmp_path / "by_open.txt").stat().st_mode)


def test_replaces_an_existing_file_and_forces_it_to_disk(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    target.write_text("old")
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    write_atomically(target, "new")
    assert target.read_text() == "new" and len(synced) == 1


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "model.json"
    target.write_text("old")

    def refuse(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, "new")
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_bad_data_and_a_missing_folder_change_nothing(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(TypeError, match="writes str or bytes, got list"):
        write_atomically(target, ["new"])
    assert target.read_text() == "old"
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "missing" / "a.txt", "x")
    assert not (tmp_path / "missing").exists()
    assert leftovers(tmp_path) == []


def test_a_folder_is_refused_by_name_before_anything_is_written(tmp_path):
    from tinygrad_edu.nn import MLP

    with pytest.raises(IsADirectoryError, match="is a folder: give a file name in it"):
        MLP(2, [1], seed=0).save(tmp_path)
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_make_folders_makes_the_missing_ones_and_names_a_file_in_the_way(tmp_path):
    path = write_atomically(tmp_path / "a" / "b" / "page.html", "<p>", make_folders=True)
    assert path.read_text() == "<p>" and os.listdir(path.parent) == ["page.html"]
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(NotADirectoryError, match=r"notes.txt is a file"):
        write_atomically(tmp_path / "notes.txt" / "new" / "page.html", "<p>", make_folders=True)
    assert sorted(os.listdir(tmp_path)) == ["a", "notes.txt"]
    assert (tmp_path / "notes.txt").read_text() == "keep me"
