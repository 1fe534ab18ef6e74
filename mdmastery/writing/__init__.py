"""What mdmastery writes into the vault: templates rendered, notes written atomically,
the user's answer regions kept."""
