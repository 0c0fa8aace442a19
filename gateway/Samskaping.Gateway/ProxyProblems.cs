using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Samskaping.Gateway;

/// <summary>
/// When YARP cannot complete a forward it only sets a status code (and logs at Information). This step of the proxy
/// pipeline logs the failure as a warning and answers with a problem that names the service, so a caller never gets
/// an empty 502 or a stack trace.
/// </summary>
internal sealed partial class ProxyProblems(RequestDelegate next, ILogger<ProxyProblems> logger)
{
    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems, IOptions<GatewayOptions> options)
    {
        // A service's own answer passes through as it is, even an empty 404; only the gateway's failures are described.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        await next(context);

        var error = context.GetForwarderErrorFeature();
        if (error is null)
        {
            return;
        }

        var service = context.GetReverseProxyFeature().Route.Config.ClusterId ?? "requested";
        if (IsCallersSide(error.Error))
        {
            // Without the exception: its stack says nothing anyone can act on, and every request a caller abandons (a
            // closed tab, a client timing out) would write one.
            LogCallersSide(logger, service, error.Error);
        }
        else
        {
            LogForwardFailed(logger, service, error.Error, error.Exception);
        }
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested
            || Describe(error, service, context.Response.StatusCode, options.Value) is not { } problem)
        {
            return;
        }

        context.Response.StatusCode = problem.Status!.Value;
        problem.Extensions["service"] = service;
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private static ProblemDetails? Describe(IForwarderErrorFeature error, string service, int status, GatewayOptions options) => error.Error switch
    {
        ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled when IsBodyTooLarge(error.Exception) =>
            RequestBodyLimit.TooLarge(options),
        ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled => new ProblemDetails
        {
            Status = status is >= 400 and < 500 ? status : StatusCodes.Status400BadRequest,
            Title = "The request body could not be read.",
            Detail = "The body ended early or arrived too slowly. Send it again.",
        },
        ForwarderError.RequestTimedOut => new ProblemDetails
        {
            Status = StatusCodes.Status504GatewayTimeout,
            Title = $"The {service} service did not answer in time.",
            Detail = "The request may or may not have been carried out. Check before you repeat a change.",
        },
        _ when status is StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout =>
            new ProblemDetails
            {
                Status = status,
                Title = $"The {service} service is unavailable.",
                Detail = $"The gateway could not get an answer from the {service} service. Try again in a moment.",
            },
        _ => null,
    };

    // Kestrel reports a body over MaxRequestBodySize as a 413 BadHttpRequestException; YARP may wrap it.
    private static bool IsBodyTooLarge(Exception? exception) => exception switch
    {
        null => false,
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsBodyTooLarge),
        _ => IsBodyTooLarge(exception.InnerException),
    };

    // A caller who hangs up or sends a bad body is not a fault of the gateway or the service.
    private static bool IsCallersSide(ForwarderError error) => error is ForwarderError.RequestCanceled
        or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyCanceled
        or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeRequestClient
        or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to {Service} failed: {Error}")]
    private static partial void LogForwardFailed(ILogger logger, string service, ForwarderError error, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The request to {Service} ended on the caller's side: {Error}")]
    private static partial void LogCallersSide(ILogger logger, string service, ForwarderError error);
}
