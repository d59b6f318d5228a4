// CloudWatch's errors as the JSON protocol carries them: `__type` names the
// modelled exception, and `x-amzn-query-error` gives the classic error code
// that SDK clients in query-compatible mode expose as `Code`.
export class CloudWatchError extends Error {
  constructor(
    readonly type: string,
    readonly queryCode: string,
    message: string,
    readonly status = 400,
    readonly fault: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
  }
}

export const invalidValue = (message: string) => new CloudWatchError("InvalidParameterValueException", "InvalidParameterValue", message);
export const missingParameter = (message: string) => new CloudWatchError("MissingRequiredParameterException", "MissingParameter", message);
export const invalidCombination = (message: string) =>
  new CloudWatchError("InvalidParameterCombinationException", "InvalidParameterCombination", message);
export const invalidNextToken = (message = "The service couldn't process the NextToken.") =>
  new CloudWatchError("InvalidNextToken", "InvalidNextToken", message);
export const unknownOperation = (target: string) =>
  new CloudWatchError("UnknownOperationException", "UnknownOperation", `Unknown operation ${target}`);
export const serializationError = (message: string) => new CloudWatchError("SerializationException", "SerializationException", message);
