/// "Did you mean …?": the closest known word by edit distance, compared case-insensitively.
public enum Suggestion {
    /// The candidate nearest to `word`, if it is close enough to be a plausible typo.
    public static func closest<S: Sequence>(to word: String, in candidates: S) -> String? where S.Element == String {
        let target = Array(word.lowercased().utf8)
        guard !target.isEmpty else { return nil }
        let limit = max(2, target.count / 3)
        var best: (distance: Int, word: String)?
        for candidate in candidates {
            let other = Array(candidate.lowercased().utf8)
            if abs(other.count - target.count) > limit { continue }
            let distance = editDistance(target, other, limit: limit)
            if distance <= limit,
                best == nil || distance < best!.distance
                    || (distance == best!.distance && candidate < best!.word)
            {
                best = (distance, candidate)
            }
        }
        return best?.word
    }

    /// `" (did you mean 'x'?)"` or an empty string.
    public static func phrase<S: Sequence>(for word: String, in candidates: S) -> String where S.Element == String {
        guard let match = closest(to: word, in: candidates), match != word else { return "" }
        return "; did you mean '\(match)'?"
    }

    /// Levenshtein distance with adjacent transpositions counting 1; stops early past `limit`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return rowMinimum }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
