"""The reader beside a named pipe and a symlink to the outside (issue 10, items 4 and 5).

A `fifo.md` once held the reader's scan forever ("Scanning 0/2") and `q` could not
end it.  The wait is bounded: a scan still blocked after LIMIT seconds is released
(the pipe opened for writing) and the test fails.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from tests.ui.conftest import sample_files, settle

LIMIT = 30


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_the_reader_scans_indexes_and_quits_beside_a_pipe_and_an_outside_symlink(
        make_app, archive_factory, tmp_path):
    root = archive_factory(sample_files(3), name="hostile")
    fifo = root / "en" / "news" / "wire" / "fifo.md"
    os.mkfifo(fifo)
    secret = tmp_path / "outside.md"
    secret.write_text("---\ntitle: outside\n---\nsecret\n", encoding="utf-8")
    (root / "passwd.md").symlink_to(secret)
    app = make_app(root)

    async def main() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            try:
                await asyncio.wait_for(settle(pilot), LIMIT)
            except TimeoutError:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # lets the scan go
                pytest.fail("the reader's scan blocked on a named pipe")
            titles = {a.title for a in app.screen.article_list.rows}
            assert len(titles) == 3 and "outside" not in titles
            await pilot.press("q")
            await asyncio.wait_for(pilot.pause(), LIMIT)
        assert app.return_code == 0

    asyncio.run(main())
