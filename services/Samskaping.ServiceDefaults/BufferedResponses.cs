using System.Buffers;
using System.ComponentModel.DataAnnotations;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Samskaping.ServiceDefaults;

/// <summary>How much of an answer a service keeps back to send it whole, with <c>Content-Length</c> (configuration
/// section <c>BufferedResponses</c>).</summary>
public sealed class BufferedResponseOptions
{
    public const string Section = "BufferedResponses";

    /// <summary>Answers up to this many bytes are sent in one write with <c>Content-Length</c>; a longer one goes
    /// out as it is written (chunked), from the byte that passed the limit on. 0: every answer as it is written.</summary>
    [Range(0, 16 * 1024 * 1024)]
    public int MaxBytes { get; set; } = 64 * 1024;
}

/// <summary>
/// Sends an answer whole, with <c>Content-Length</c>, instead of chunked. The JSON writers flush when they finish, so
/// Kestrel sends the body as a chunk and the chunked ending in a second write once the endpoint returns: two packets
/// per answer, and the reader (the gateway, then the caller) wakes for each. The services' answers are small — a case,
/// a page of a list, a problem — so the body is kept until the endpoint is done and goes out in one write with its
/// length. What an endpoint writes past <see cref="BufferedResponseOptions.MaxBytes"/> streams as before; an answer the
/// endpoint starts or completes itself is sent at that moment. An exception drops what was kept, so the exception
/// handler's problem answer goes out on a clean response.
/// </summary>
internal sealed class BufferedResponses(RequestDelegate next, IOptions<BufferedResponseOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxBytes;
        var inner = context.Features.Get<IHttpResponseBodyFeature>();
        if (limit <= 0 || inner is null || context.Response.HasStarted || HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }

        using var answer = new BufferedResponse(context, inner, limit);
        context.Features.Set<IHttpResponseBodyFeature>(answer);
        try
        {
            await next(context);
            await answer.SendAsync(context.RequestAborted);
        }
        finally
        {
            context.Features.Set(inner);
        }
    }
}

/// <summary>The response body while <see cref="BufferedResponses"/> keeps it: a pooled buffer until the limit, then the
/// server's own writer.</summary>
internal sealed class BufferedResponse(HttpContext context, IHttpResponseBodyFeature inner, int limit) : PipeWriter, IHttpResponseBodyFeature, IDisposable
{
    private const int FirstSize = 4096;

    private byte[]? buffer;
    private int written;
    private int flushed;
    private bool passing;
    private bool sent;
    private Stream? stream;

    public Stream Stream => stream ??= AsStream(leaveOpen: true);

    public PipeWriter Writer => this;

    public override Memory<byte> GetMemory(int sizeHint = 0) =>
        passing ? inner.Writer.GetMemory(sizeHint) : Reserve(sizeHint).AsMemory(written);

    public override Span<byte> GetSpan(int sizeHint = 0) =>
        passing ? inner.Writer.GetSpan(sizeHint) : Reserve(sizeHint).AsSpan(written);

    public override void Advance(int bytes)
    {
        if (passing)
        {
            inner.Writer.Advance(bytes);
            return;
        }
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, (buffer?.Length ?? 0) - written);
        written += bytes;
        if (written > limit)
        {
            PassOn();
        }
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (passing)
        {
            return inner.Writer.FlushAsync(cancellationToken);
        }
        flushed = written;
        return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
    }

    public override bool CanGetUnflushedBytes => !passing || inner.Writer.CanGetUnflushedBytes;

    public override long UnflushedBytes => passing ? inner.Writer.UnflushedBytes : written - flushed;

    public override void CancelPendingFlush()
    {
        if (passing)
        {
            inner.Writer.CancelPendingFlush();
        }
    }

    // The server completes its own writer when the request ends; an endpoint completing this one says nothing more
    // than that it is done writing, and what it wrote goes out when it returns.
    public override void Complete(Exception? exception = null)
    {
    }

    public void DisableBuffering()
    {
        PassOn();
        inner.DisableBuffering();
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        PassOn();
        await inner.StartAsync(cancellationToken);
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        PassOn();
        await inner.SendFileAsync(path, offset, count, cancellationToken);
    }

    public async Task CompleteAsync()
    {
        await SendAsync(context.RequestAborted);
        await inner.CompleteAsync();
    }

    /// <summary>Hands what was kept to the server in one write, with its length unless the endpoint set one (or chose a
    /// transfer encoding). Nothing written: nothing done, so the server's or the status-code pages' answer stands.</summary>
    public async Task SendAsync(CancellationToken cancellationToken)
    {
        if (passing || sent)
        {
            return;
        }
        sent = true;
        if (written == 0)
        {
            return;
        }
        var response = context.Response;
        if (response.ContentLength is null && response.Headers.TransferEncoding.Count == 0)
        {
            response.ContentLength = written;
        }
        await inner.Writer.WriteAsync(buffer.AsMemory(0, written), cancellationToken);
    }

    public void Dispose()
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }

    private byte[] Reserve(int sizeHint)
    {
        var needed = written + Math.Max(sizeHint, 1);
        if (buffer is null || needed > buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(FirstSize, (buffer?.Length ?? 0) * 2)));
            if (buffer is not null)
            {
                buffer.AsSpan(0, written).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
            }
            buffer = larger;
        }
        return buffer;
    }

    /// <summary>From here on the endpoint writes to the server itself; what was kept goes first.</summary>
    private void PassOn()
    {
        if (passing || sent)
        {
            return;
        }
        passing = true;
        if (written > 0)
        {
            inner.Writer.Write(buffer.AsSpan(0, written));
        }
        Dispose();
    }
}

public static class BufferedResponsesExtensions
{
    /// <summary>Small answers whole, with <c>Content-Length</c> (<see cref="BufferedResponses"/>).</summary>
    public static IApplicationBuilder UseBufferedResponses(this IApplicationBuilder app) => app.UseMiddleware<BufferedResponses>();
}
