/// Words of a command line that a POSIX shell reads back as given (for commands b24plan prints).
enum ShellQuote {
    /// `word` as is when it holds only characters a shell leaves alone, else in single quotes.
    static func word(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:=@%+,".contains($0)) }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
