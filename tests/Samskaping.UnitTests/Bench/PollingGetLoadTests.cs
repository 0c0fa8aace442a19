using System.Net;
using System.Net.Sockets;
using System.Text;
using Samskaping.Bench.Load;
using Shouldly;
using Xunit;

namespace Samskaping.UnitTests.Bench;

public sealed class PollingGetLoadTests
{
    [Fact]
    public void A_response_with_a_length_is_complete_after_its_body()
    {
        var response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"u8.ToArray();

        HttpResponseFraming.Complete(response.AsSpan(0, response.Length - 1)).ShouldBeNull();
        HttpResponseFraming.Complete(response).ShouldBe((response.Length, 200));
        HttpResponseFraming.Complete("HTTP/1.1 204 No Content\r\nDate: x\r\n\r\n"u8).ShouldBe((36, 204));
    }

    [Fact]
    public void A_chunked_response_is_complete_after_its_last_chunk_however_it_is_split()
    {
        var response = "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\nA;ext=1\r\n:12345678}\r\n0\r\n\r\n"u8.ToArray();

        for (var cut = 0; cut < response.Length; cut++)
        {
            HttpResponseFraming.Complete(response.AsSpan(0, cut)).ShouldBeNull($"complete after only {cut} of {response.Length} bytes");
        }
        HttpResponseFraming.Complete(response).ShouldBe((response.Length, 404));
    }

    [Fact]
    public void Bytes_that_are_not_a_response_are_refused()
    {
        Should.Throw<FormatException>(() => HttpResponseFraming.Complete("SSH-2.0-OpenSSH\r\n\r\n"u8));
        Should.Throw<FormatException>(() => HttpResponseFraming.Complete("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"u8));
    }

    [Fact]
    public async Task Every_request_of_the_schedule_is_sent_and_answered_with_its_latency_counted_from_when_it_was_due()
    {
        using var server = new Server(request => request % 2 == 0
            ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
            : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n");
        using var load = new PollingGetLoad(new Uri($"http://127.0.0.1:{server.Port}/api/cases/1"), "token", connections: 4);

        var result = await Task.Run(() => load.Run(new OpenLoop(400, TimeSpan.FromSeconds(0.25)), CancellationToken.None));

        result.Sent.ShouldBe(100);
        result.Failed.ShouldBe(0);
        result.Latencies.Count.ShouldBe(100);
        result.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.24));
        server.Requests.ShouldBe(100);
        server.FirstRequest.ShouldStartWith("GET /api/cases/1 HTTP/1.1\r\n");
        server.FirstRequest.ShouldContain("\r\nAuthorization: Bearer token\r\n");
    }

    [Fact]
    public async Task Refused_requests_are_counted_by_status_and_the_load_goes_on_over_fresh_connections()
    {
        using var server = new Server(request => request % 10 == 3 ? "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n" : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        using var load = new PollingGetLoad(new Uri($"http://127.0.0.1:{server.Port}/"), "token", connections: 2);

        var result = await Task.Run(() => load.Run(new OpenLoop(500, TimeSpan.FromSeconds(0.1)), CancellationToken.None));

        result.Sent.ShouldBe(50);
        result.Failures.ShouldBe(new Dictionary<string, int> { ["HTTP 503"] = 5 });
        result.Latencies.Count.ShouldBe(45);
    }

    [Fact]
    public async Task A_request_on_a_connection_the_server_closed_while_it_was_idle_goes_again_on_a_fresh_one()
    {
        // Each connection serves one request and is then closed without a word, as a server does with a keep-alive
        // connection past its timeout: the next request on it meets a closed socket.
        using var server = new Server(_ => "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", closeAfterEachAnswer: true);
        using var load = new PollingGetLoad(new Uri($"http://127.0.0.1:{server.Port}/"), "token", connections: 2);

        var result = await Task.Run(() => load.Run(new OpenLoop(200, TimeSpan.FromSeconds(0.1)), CancellationToken.None));

        result.Sent.ShouldBe(20);
        result.Failed.ShouldBe(0);
        result.Latencies.Count.ShouldBe(20);
    }

    [Fact]
    public async Task A_server_that_closes_without_answering_fails_every_request_after_one_resend_each()
    {
        using var server = new Server(_ => null);
        using var load = new PollingGetLoad(new Uri($"http://127.0.0.1:{server.Port}/"), "token", connections: 2);

        var result = await Task.Run(() => load.Run(new OpenLoop(100, TimeSpan.FromSeconds(0.1)), CancellationToken.None));

        result.Sent.ShouldBe(10);
        result.Failures.ShouldBe(new Dictionary<string, int> { ["connection closed"] = 10 });
        result.Latencies.Count.ShouldBe(0);
        server.Requests.ShouldBe(20);
    }

    /// <summary>
    /// A loopback HTTP/1.1 server that answers each request (numbered from 0, over all connections) as told; no answer
    /// (null) closes the connection instead.
    /// </summary>
    private sealed class Server : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Func<int, string?> _answer;
        private readonly bool _closeAfterEachAnswer;
        private int _requests;

        public Server(Func<int, string?> answer, bool closeAfterEachAnswer = false)
        {
            _answer = answer;
            _closeAfterEachAnswer = closeAfterEachAnswer;
            _listener.Start();
            _ = Task.Run(AcceptAll);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Requests => Volatile.Read(ref _requests);

        public string FirstRequest { get; private set; } = "";

        public void Dispose() => _listener.Stop();

        private async Task AcceptAll()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync();
                    _ = Task.Run(() => Serve(client));
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }

        private async Task Serve(TcpClient client)
        {
            using var _ = client;
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var pending = "";
            try
            {
                while (true)
                {
                    var read = await stream.ReadAsync(buffer);
                    if (read == 0)
                    {
                        return;
                    }
                    pending += Encoding.ASCII.GetString(buffer, 0, read);
                    int end;
                    while ((end = pending.IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                    {
                        var number = Interlocked.Increment(ref _requests) - 1;
                        if (number == 0)
                        {
                            FirstRequest = pending[..(end + 4)];
                        }
                        pending = pending[(end + 4)..];
                        if (_answer(number) is not { } answer)
                        {
                            return;
                        }
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
                        if (_closeAfterEachAnswer)
                        {
                            return;
                        }
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // the client went away
            }
        }
    }
}
