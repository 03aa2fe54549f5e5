"""Two-factor sign-in (TOTP apps, passkeys, recovery codes), the policy of which roles need
it, and the account pages around the password: change in the app, reset by e-mail."""
