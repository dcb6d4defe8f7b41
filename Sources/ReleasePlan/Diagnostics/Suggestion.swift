/// "Did you mean …?": the closest known word by edit distance, compared case-insensitively; for
/// codes of `_`- or `.`-separated segments also the code one whole segment away
/// (`CRM_DEAL_TAB` → `CRM_DEAL_DETAIL_TAB`).
public enum Suggestion {
    /// The candidate nearest to `word`, if it is close enough to be a plausible typo. A word longer
    /// than `longestWord` bytes is no typo of a code or key (and is not compared, however large).
    public static func closest<S: Sequence>(to word: String, in candidates: S) -> String? where S.Element == String {
        guard word.utf8.count <= longestWord else { return nil }
        return closestBySpelling(to: word, in: candidates) ?? closestBySegments(to: word, in: candidates)
    }

    /// The longest word (UTF-8 bytes) that gets a suggestion.
    static let longestWord = 256

    /// The candidate within a third of the word's length in edits (at least 2).
    static func closestBySpelling<S: Sequence>(to word: String, in candidates: S) -> String? where S.Element == String {
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

    /// The candidate one segment away from `word`: a segment added or left out (`CRM_DEAL_TAB` for
    /// `CRM_DEAL_DETAIL_TAB`), or one segment misspelt, where both have at least two segments
    /// and share all the others. Ties go to the nearer spelling, then alphabetical order.
    static func closestBySegments<S: Sequence>(to word: String, in candidates: S) -> String? where S.Element == String {
        let target = segments(word)
        guard target.count >= 2 else { return nil }
        let targetBytes = Array(word.lowercased().utf8)
        var best: (spelling: Int, word: String)?
        for candidate in candidates {
            let other = segments(candidate)
            guard other.count >= 2, abs(other.count - target.count) <= 1, segmentDistance(target, other) <= 1 else { continue }
            let spelling = editDistance(targetBytes, Array(candidate.lowercased().utf8), limit: Int.max)
            if best == nil || spelling < best!.spelling || (spelling == best!.spelling && candidate < best!.word) {
                best = (spelling, candidate)
            }
        }
        return best?.word
    }

    /// The lowercased segments of a code split at `_` and `.` (empty segments kept).
    static func segments(_ word: String) -> [[UInt8]] {
        word.lowercased().utf8.split(separator: UInt8(ascii: "_"), omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) }.map(Array.init)
    }

    /// Levenshtein distance over segments, where only a segment that is itself a plausible typo of
    /// the other may stand in for it (else a substitution costs 2: one out, one in).
    static func segmentDistance(_ a: [[UInt8]], _ b: [[UInt8]]) -> Int {
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                let substitution: Int
                if a[i - 1] == b[j - 1] {
                    substitution = 0
                } else {
                    let limit = max(1, min(a[i - 1].count, b[j - 1].count) / 3)
                    substitution = editDistance(a[i - 1], b[j - 1], limit: limit) <= limit ? 1 : 2
                }
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution)
            }
            previous = current
        }
        return previous[b.count]
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
