"""Alembic environment: the engine comes from data.db (cfg.attributes) or from DATABASE_URL."""

import os

from alembic import context

from data.db import make_engine
from data.models import Base

config = context.config
engine = config.attributes.get("engine") or make_engine(os.environ["DATABASE_URL"])

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
