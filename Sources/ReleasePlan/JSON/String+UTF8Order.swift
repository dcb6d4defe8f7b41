import Foundation

extension String {
    /// The order of two strings' UTF-8 bytes: negative, 0 or positive. A total order on the bytes,
    /// which `<` is not: it compares canonically equivalent text as equal ("é" as one scalar or as
    /// e + U+0301), so keys sorted with it could come out in a different order from run to run.
    /// Foundation's `JSONEncoder` sorts keys this way too.
    public static func compareUTF8(_ left: String, _ right: String) -> Int {
        var (left, right) = (left, right)
        return left.withUTF8 { a in
            right.withUTF8 { b in
                let common = Swift.min(a.count, b.count)
                if common > 0, let x = a.baseAddress, let y = b.baseAddress {
                    let order = memcmp(x, y, common)
                    if order != 0 { return Int(order) }
                }
                return a.count - b.count
            }
        }
    }
}

extension Sequence where Element == String {
    /// Sorted by UTF-8 bytes (`String.compareUTF8`): the same order in every run, for any keys.
    public func sortedByUTF8() -> [String] {
        sorted { String.compareUTF8($0, $1) < 0 }
    }
}
