/// An IPv6 address read and written as the WHATWG URL Standard does (§3.5 "IPv6 parser" and
/// "IPv6 serializer"): eight 16-bit pieces, `::` for the first longest run of two or more zero pieces.
struct IPv6Address: Equatable, CustomStringConvertible {
    var pieces: [UInt16]

    /// Nil when `text` (without brackets) is not an IPv6 address; zone ids (`%eth0`) are not allowed.
    init?(_ text: String) {
        let input = Array(text.unicodeScalars)
        var address = [UInt16](repeating: 0, count: 8)
        var pieceIndex = 0
        var compress: Int?
        var pointer = 0
        func at(_ index: Int) -> Unicode.Scalar? { index < input.count ? input[index] : nil }
        if at(0) == ":" {
            guard at(1) == ":" else { return nil }
            pointer = 2
            pieceIndex = 1
            compress = 1
        }
        while let character = at(pointer) {
            guard pieceIndex < 8 else { return nil }
            if character == ":" {
                guard compress == nil else { return nil }
                pointer += 1
                pieceIndex += 1
                compress = pieceIndex
                continue
            }
            var value = 0
            var length = 0
            while length < 4, let scalar = at(pointer), let digit = Character(scalar).hexDigitValue, scalar.isASCII {
                value = value * 16 + digit
                pointer += 1
                length += 1
            }
            if at(pointer) == "." {
                guard length > 0, pieceIndex <= 6 else { return nil }
                pointer -= length
                guard let read = Self.readIPv4(input, from: pointer, into: &address, at: pieceIndex) else { return nil }
                pieceIndex = read
                pointer = input.count
                break
            } else if at(pointer) == ":" {
                pointer += 1
                guard at(pointer) != nil else { return nil }
            } else if at(pointer) != nil {
                return nil
            }
            address[pieceIndex] = UInt16(value)
            pieceIndex += 1
        }
        if let compress {
            var swaps = pieceIndex - compress
            pieceIndex = 7
            while pieceIndex != 0 && swaps > 0 {
                address.swapAt(pieceIndex, compress + swaps - 1)
                pieceIndex -= 1
                swaps -= 1
            }
        } else if pieceIndex != 8 {
            return nil
        }
        pieces = address
    }

    /// The dotted IPv4 tail (`::ffff:1.2.3.4`) into two pieces; the piece index after it, or nil.
    private static func readIPv4(_ input: [Unicode.Scalar], from start: Int, into address: inout [UInt16], at index: Int) -> Int? {
        var pointer = start
        var pieceIndex = index
        var numbersSeen = 0
        while pointer < input.count {
            if numbersSeen > 0 {
                guard input[pointer] == ".", numbersSeen < 4 else { return nil }
                pointer += 1
            }
            guard pointer < input.count, isDigit(input[pointer]) else { return nil }
            var piece: Int?
            while pointer < input.count, isDigit(input[pointer]) {
                let digit = Int(input[pointer].value - 0x30)
                if let current = piece {
                    guard current != 0 else { return nil }
                    piece = current * 10 + digit
                } else {
                    piece = digit
                }
                guard (piece ?? 0) <= 255 else { return nil }
                pointer += 1
            }
            address[pieceIndex] = address[pieceIndex] &* 0x100 &+ UInt16(piece ?? 0)
            numbersSeen += 1
            if numbersSeen == 2 || numbersSeen == 4 { pieceIndex += 1 }
        }
        return numbersSeen == 4 ? pieceIndex : nil
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    /// Lowercase hex pieces, the first longest run of two or more zero pieces written `::`.
    var description: String {
        var compress: Int?
        var longest = 1
        var index = 0
        while index < 8 {
            var end = index
            while end < 8 && pieces[end] == 0 { end += 1 }
            if end - index > longest {
                longest = end - index
                compress = index
            }
            index = max(end, index + 1)
        }
        var output = ""
        var ignoreZero = false
        for (index, piece) in pieces.enumerated() {
            if ignoreZero && piece == 0 { continue }
            ignoreZero = false
            if compress == index {
                output += index == 0 ? "::" : ":"
                ignoreZero = true
                continue
            }
            output += String(piece, radix: 16)
            if index != 7 { output += ":" }
        }
        return output
    }
}
