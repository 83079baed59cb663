"""Crisis: the crisismaatregel, from medische verklaring and horen to besluit and termijnen."""
