"""The regio-overleg's pure rules: its state, decisions and the signals it is owed."""
