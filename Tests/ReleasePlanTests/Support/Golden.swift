/// Golden-file comparison (`Golden.check(_:named:in:)`) lives in the shared `TestSupport` target
/// (`Tests/TestSupport/Golden.swift`) so that both test targets use one implementation: expected
/// outputs in `Tests/Fixtures/golden/<folder>/<name>.txt`, a line diff on failure, and
/// `B24PLAN_RECORD_GOLDEN=1` to re-record. This file makes it visible to every ReleasePlanTests file.
@_exported import TestSupport
