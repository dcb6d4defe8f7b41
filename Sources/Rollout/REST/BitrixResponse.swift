import ReleasePlan

/// Reading Bitrix24 answers: the result, the error, and the `time` block.
enum BitrixResponse {
    /// The JSON of a body, or nil when it is not JSON (an HTML error page, an empty body).
    static func json(_ body: [UInt8]) -> PlanValue? {
        ResponseDecoder.decode(body)
    }

    /// The error of an answer, which may come with any status (EMPTY_ERROR_HANDLER_URL comes with 200).
    static func error(_ json: PlanValue?, status: Int) -> BitrixError? {
        if let code = json?.field("error")?.stringValue, !code.isEmpty {
            return .api(code: code, message: json?.field("error_description")?.stringValue ?? "", status: status)
        }
        if status >= 300 { return .http(status: status) }
        return nil
    }

    /// `time.operating_reset_at` (unix seconds) when the answer has one.
    static func operatingResetAt(_ json: PlanValue?) -> Double? {
        guard let value = json?.field("time")?.field("operating_reset_at") else { return nil }
        switch value {
        case .number(let text): return Double(text)
        case .string(let text): return Double(text)
        default: return nil
        }
    }
}

extension PlanValue {
    var elementsOrEmpty: [PlanValue] {
        switch self {
        case .array(let array): return array
        case .object(let object): return object.keys.sorted().compactMap { object[$0] }
        default: return []
        }
    }

    /// Truthy as PHP means it: true, 1, "1", "Y", "true".
    var truthy: Bool {
        switch self {
        case .bool(let flag): return flag
        case .number(let text): return (Double(text) ?? 0) != 0
        case .string(let text): return ["1", "y", "true", "yes"].contains(text.lowercased())
        default: return false
        }
    }

    var text: String? {
        switch self {
        case .string(let text): return text
        case .number(let text): return text
        case .bool(let flag): return flag ? "1" : "0"
        default: return nil
        }
    }
}
