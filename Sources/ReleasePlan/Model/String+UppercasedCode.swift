extension String {
    /// `uppercased()`, returning the string itself (no copy) when it is ASCII without a lowercase
    /// letter, as placement codes and event names are: binding keys are built for every binding
    /// of a plan, several times.
    var uppercasedCode: String {
        let unchanged = utf8.allSatisfy { $0 < 0x80 && !($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) }
        return unchanged ? self : uppercased()
    }
}
