"""What the dashboard knows: models, queries, importers and seed data. Plain Python, no Dash or Flask."""
