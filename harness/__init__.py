"""Test and benchmark harness: the app server and the headless browser (harness.server)."""
