"""Levering aan ketenpartners: webhooks afleveren, ondertekenen en opnieuw proberen."""
