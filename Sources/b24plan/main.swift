import Foundation

let console = Console.standard()
var code = CommandLineTool(console: console).run(Array(CommandLine.arguments.dropFirst()))
// Output that could not be written (a full disk, a closed file) is a failure, whatever the command said.
if let failure = StandardOutput.shared.failedErrno, code == .success || code == .changes {
    console.writeError("error: could not write the output: \(String(cString: strerror(failure)))\n")
    code = .failure
}
exit(code.rawValue)
