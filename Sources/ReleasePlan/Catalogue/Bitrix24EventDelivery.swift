/// How an app receives an event.
public enum Bitrix24EventDelivery: String, Sendable, Equatable, Codable {
    /// Registered with `event.bind`; the portal POSTs to the handler.
    case eventBind = "event.bind"
    /// Fetched by polling `im.v2.Event.get` (`ONIMV2*`; "webhook mode is not supported").
    case polled = "im.v2.Event.get"
    /// Subscribed by `imbot.v2.Bot.register` (`ONIMBOTV2*`; "no need to call event.bind … may lead
    /// to a mismatch").
    case botRegistration = "imbot.v2.Bot.register"
}
