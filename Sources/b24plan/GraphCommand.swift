import ReleasePlan

/// `b24plan graph`: the execution graph, as text, Graphviz DOT or Mermaid.
struct GraphCommand: Command {
    let name = "graph"
    let planPositional: (index: Int, count: Int)? = (0, 1)
    let summary = "Draw the execution graph (text, dot, mermaid, json)"
    let usage = "b24plan graph [--against FILE] [--format text|dot|mermaid|json] [--reconcile auto|always] FILE"
    let discussion = """
        Prints the steps apply would run and what each waits for. DOT renders with Graphviz
        ('b24plan graph --format dot FILE | dot -Tsvg > plan.svg'); Mermaid renders on GitHub.
        """
    let options: [OptionSpec] = [
        .value("against", "FILE", "The published plan to compare with."),
        .value("format", "FORMAT", allowed: ["text", "dot", "mermaid", "json"], "Output format (default text)."),
        .value("reconcile", "WHEN", allowed: ["auto", "always"], "'always' adds the portal reconcile to repair drift."),
        .value("waves", "LIST", "Roll out in waves: cumulative shares in percent, e.g. 1,10,100 (overrides rollout.waves)."),
    ]

    func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
        guard arguments.positionals.count == 1, let file = arguments.positionals.first else {
            throw UsageError(message: "graph needs exactly one plan FILE")
        }
        try requireInputs(arguments)
        let format = format(arguments)
        guard
            let outcome = try CompileStep(console: console).run(
                file, against: arguments.value("against"), compiler: try PlanCompiler.from(arguments),
                format: format == "json" ? "json" : "text")
        else { return .failure }
        let compiled = outcome.compiled
        switch format {
        case "dot":
            console.write(GraphRenderer.dot(compiled.steps, title: "\(compiled.app) \(compiled.from ?? "(initial)") → \(compiled.to)"))
        case "mermaid":
            console.write(GraphRenderer.mermaid(compiled.steps))
        case "json":
            console.write(try JSONOutput.encode(GraphDocument(steps: compiled.steps)))
        default:
            console.write(GraphRenderer.text(compiled.steps))
        }
        return .success
    }
}

struct GraphDocument: Encodable {
    var steps: [PlanStep]
}
