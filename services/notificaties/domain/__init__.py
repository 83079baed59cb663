"""The notificaties service's pure rules: chain partners, their subscriptions, minimisation."""
