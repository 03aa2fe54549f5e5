"""Pages of the investigations app, one module per thing an investigator works on."""
