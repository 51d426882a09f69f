"""``jwpextract diff``: align two versions of a plan and report what changed."""
