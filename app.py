"""Entry point: `python app.py` serves the dashboard on an embedded SQLite database; `server` is for gunicorn."""

from __future__ import annotations

import os

from dashboard import create_app, freeze_startup_objects


def main() -> None:
    from dashboard.bootstrap import prepare_database

    app = create_app(dev=True)
    loaded, password = prepare_database(app.server, seed=app.server.config["SEED_DEMO"])
    freeze_startup_objects()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8050"))
    print(f"Databas: {app.server.config['DATABASE_URL']}" + (" (demodata inläst)" if loaded else ""))
    if password:
        print(f"Kontot admin skapades. Lösenord (visas bara nu): {password}")
    print(f"Logga in på http://{host}:{port}/login")
    app.run(host=host, port=port, debug=False)


if __name__ == "__main__":
    main()
else:
    app = create_app()
    server = app.server
    freeze_startup_objects()
