import Foundation

let console = Console.standard()
let code = CommandLineTool(console: console).run(Array(CommandLine.arguments.dropFirst()))
exit(code.rawValue)
