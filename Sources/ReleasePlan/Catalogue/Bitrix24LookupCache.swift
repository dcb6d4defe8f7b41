import Foundation

/// The answers of one catalogue lookup, kept by the code asked about: a large plan binds
/// thousands of handlers to a few placement codes, and working a CRM placement out of its
/// `CRM_<ENTITY>_<SUFFIX>` pattern each time took a tenth of linting such a plan. Shared by every
/// thread; keeps at most `limit` codes (a plan of thousands of different codes is looked up anew).
final class Bitrix24LookupCache<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Value] = [:]
    private let limit: Int

    init(limit: Int = 1024) { self.limit = limit }

    /// The answer for `code`: kept, or `lookUp(code)` (then kept while there is room).
    func value(for code: String, lookUp: (String) -> Value) -> Value {
        if let known = lock.withLock({ values[code] }) { return known }
        let value = lookUp(code)
        lock.withLock {
            if values.count < limit { values[code] = value }
        }
        return value
    }
}
