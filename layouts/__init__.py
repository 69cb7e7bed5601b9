"""What the dashboard draws: functions that return component trees, no database access."""
