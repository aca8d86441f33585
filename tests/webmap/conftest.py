from __future__ import annotations

import pytest

from webmap import create_app


@pytest.fixture(scope="session")
def make_client(build_dir):
    def make(**overrides):
        app = create_app({"build_dir": build_dir, "auto_build": False, **overrides})
        app.testing = True
        return app.test_client()
    return make


@pytest.fixture(scope="session")
def client(make_client):
    return make_client()
