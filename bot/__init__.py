"""The Slack face of the sanctions desk: Bolt listeners, Block Kit, serving."""
