"""Use cases: one channel-free function per write the bot knows.

Each takes a `UnitOfWork` (the session, the actor, the clock), checks the rules of `domain/`,
changes the rows and records the change with `uow.audit(...)` — the unit of work is the only
writer of audit rows. Chat handlers, the CLI and the scheduler call these; a broken rule is a
`domain.errors.RuleError`, turned into a message only by the conversation core and the CLI.
"""
