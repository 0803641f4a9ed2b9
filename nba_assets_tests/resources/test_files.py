import os

import pytest

from resources.files import atomic_write


def test_atomic_write_creates_folders_and_replaces_the_file(tmp_path):
    target = tmp_path / "a" / "b" / "file.bin"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two" and [p.name for p in target.parent.iterdir()] == ["file.bin"]


def test_a_failed_write_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "model.cbm"
    atomic_write(target, b"old model")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"new model")
    assert target.read_bytes() == b"old model" and [p.name for p in tmp_path.iterdir()] == ["model.cbm"]
