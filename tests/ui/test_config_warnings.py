"""What the config file holds that was ignored is said when the reader starts."""

from __future__ import annotations

from tests.ui.conftest import run_app_test


def test_an_unknown_setting_is_notified_when_the_reader_starts(make_app):
    async def scenario(pilot, screen):
        messages = [n.message for n in pilot.app._notifications]
        assert "config.toml: unknown setting 'colour' (ignored)" in messages

    run_app_test(make_app(problems=("config.toml: unknown setting 'colour' (ignored)",)),
                 scenario)
