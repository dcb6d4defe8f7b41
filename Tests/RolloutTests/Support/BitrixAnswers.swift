import Foundation
import Rollout

/// Bitrix24 answers as the portal and the OAuth server send them.
enum Answer {
    /// A `time` block whose `operating_reset_at` is given (unix seconds).
    static func timeBlock(operatingResetAt: Double? = nil) -> String {
        var block =
            #"{"start":1700000000.1,"finish":1700000000.2,"duration":0.1,"processing":0.05,"#
            + #""date_start":"2023-11-14T22:13:20+00:00","date_finish":"2023-11-14T22:13:20+00:00","operating":0"#
        if let operatingResetAt { block += #","operating_reset_at":\#(Int(operatingResetAt))"# }
        return block + "}"
    }

    /// `{"result": <json>, "time": {…}}` with HTTP 200.
    static func result(_ json: String, operatingResetAt: Double? = nil) -> HTTPResponse {
        body(200, #"{"result":\#(json),"time":\#(timeBlock(operatingResetAt: operatingResetAt))}"#)
    }

    /// `{"error": code, "error_description": text}` with the given status (no `time` block).
    static func error(_ code: String, _ description: String = "", status: Int, operatingResetAt: Double? = nil) -> HTTPResponse {
        var text = #"{"error":"\#(code)","error_description":"\#(description)""#
        if let operatingResetAt { text += #","time":\#(timeBlock(operatingResetAt: operatingResetAt))"# }
        return body(status, text + "}")
    }

    /// A batch answer: `results` and `errors` are JSON (objects, arrays, or `[]` for empty).
    static func batch(results: String, errors: String = "[]") -> HTTPResponse {
        result(#"{"result":\#(results),"result_error":\#(errors),"result_total":[],"result_next":[],"result_time":[]}"#)
    }

    /// A non-JSON page, as a proxy sends it.
    static func html(status: Int) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "text/html"], body: Array("<html><body>Bad Gateway</body></html>".utf8))
    }

    static func redirect(to location: String, status: Int = 302) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["location": location])
    }

    /// The OAuth server's answer to a refresh.
    static func token(
        access: String, refresh: String, endpoint: String = "https://acme.bitrix24.com/rest/", scope: String = "crm,placement"
    ) -> HTTPResponse {
        body(
            200,
            #"{"access_token":"\#(access)","expires":1700003600,"expires_in":3600,"scope":"\#(scope)","#
                + #""domain":"oauth.bitrix.info","server_endpoint":"https:\/\/oauth.bitrix.info\/rest\/","status":"L","#
                + #""client_endpoint":"\#(endpoint)","member_id":"m1","user_id":1,"refresh_token":"\#(refresh)"}"#)
    }

    static func body(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["content-type": "application/json"], body: Array(text.utf8))
    }
}
