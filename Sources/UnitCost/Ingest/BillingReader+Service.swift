/// Which service a billing row belongs to, as far as unitcost cares (SPEC §3.1).
public enum ServiceClass: Equatable, Sendable {
    /// Bedrock model inference; Marketplace rows carry their product name (the model).
    case bedrock(productName: String?)
    /// `AmazonBedrockAgentCore`: Bedrock, but not model inference.
    case agentCore
    /// Anything else.
    case other
}

extension BillingReader {
    /// Classifies the current row of `s`: first on the product code's bytes, then, for Marketplace
    /// rows (billing entity `AWS Marketplace`, FOCUS service names), on the product name's
    /// ` (Amazon Bedrock Edition)` suffix.
    static func classify(_ s: some BillingCells, _ c: BillingSchema) -> ServiceClass {
        classify(s, c) { productName(s, c) }
    }

    /// The same, with `productName` giving the row's product name (the reader's caches it by cell).
    /// Inlined into the row reader: called with a closure on every row, it took a reference to each
    /// value the closure holds and gave it back, eight atomic operations a row, for the few rows that
    /// ask for the name.
    @inline(__always)
    static func classify(_ s: some BillingCells, _ c: BillingSchema, productName: () -> String?) -> ServiceClass {
        if let code = c[.productCode] {
            let productCode = s.field(code)
            if bedrockProductCodeBytes.contains(where: { equals(productCode, $0) }) { return .bedrock(productName: nil) }
            if equals(productCode, agentCoreProductCode) { return .agentCore }
        }
        if c.family == .focus { return classifyByServiceName(s, c) }
        if let e = c[.billingEntity], equals(s.field(e), "AWS Marketplace"), let name = productName(),
            name.hasSuffix(UsageType.marketplaceSuffix)
        {
            return .bedrock(productName: name)
        }
        return .other
    }

    /// FOCUS: the service name tells Marketplace editions (and Bedrock where x_ServiceCode is absent).
    private static func classifyByServiceName(_ s: some BillingCells, _ c: BillingSchema) -> ServiceClass {
        guard let column = c[.serviceName], !s.field(column).isEmpty, !equals(s.field(column), "NULL") else { return .other }
        let name = s.string(column)
        if name.hasSuffix(UsageType.marketplaceSuffix) || (c[.productCode] == nil && name == "Amazon Bedrock") {
            return .bedrock(productName: name)
        }
        return c[.productCode] == nil && name == "Amazon Bedrock AgentCore" ? .agentCore : .other
    }
}
