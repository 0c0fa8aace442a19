using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Samskaping.Bench.Load;

/// <summary>
/// An open-loop GET load from one thread: keep-alive HTTP/1.1 connections, one request at a time on each, and
/// poll(2) for whichever answers first or for the next request's due time. The same schedule and the same latency
/// (from when each request was due) as <see cref="OpenLoop.Run"/> with an <see cref="HttpClient"/>, but without a
/// timer callback, a thread-pool hand-off and an async continuation per request: the load driver shares the two
/// cores with what it measures, and every wake-up it saves is CPU the system under test gets back.
/// </summary>
public sealed class PollingGetLoad : IDisposable
{
    private readonly DnsEndPoint _endpoint;
    private readonly byte[] _request;
    private readonly int _connections;
    private readonly Stack<Connection> _idle = new();
    private readonly List<Connection> _all = [];

    public PollingGetLoad(Uri url, string bearerToken, int connections = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        if (url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException("plain http:// only (a loopback load driver)", nameof(url));
        }
        _endpoint = new DnsEndPoint(url.Host, url.Port);
        _connections = connections;
        _request = Encoding.ASCII.GetBytes(
            $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nAuthorization: Bearer {bearerToken}\r\nAccept: application/json\r\n\r\n");
    }

    /// <summary>Sends <paramref name="schedule"/>'s requests on time from the calling thread; blocks until all have answered.</summary>
    public OpenLoopResult Run(OpenLoop schedule, CancellationToken ct)
    {
        while (_all.Count < _connections)
        {
            var connection = Connect();
            _all.Add(connection);
            _idle.Push(connection);
        }

        var latencies = new Latencies();
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        var waiting = new Queue<long>(); // due timestamps of requests due while every connection was busy
        var busy = new Dictionary<Socket, Connection>();
        var readable = new List<Socket>(_connections);
        var start = Stopwatch.GetTimestamp();
        var next = 0;
        var answered = 0;
        while (answered < schedule.Count)
        {
            ct.ThrowIfCancellationRequested();
            for (var due = schedule.DueBy(Stopwatch.GetElapsedTime(start)); next < due; next++)
            {
                waiting.Enqueue(schedule.DueTimestamp(start, next));
            }
            while (waiting.Count > 0 && _idle.Count > 0)
            {
                var connection = _idle.Pop();
                var dueAt = waiting.Dequeue();
                if (connection.TrySend(_request, dueAt))
                {
                    busy.Add(connection.Socket, connection);
                }
                else
                {
                    SendOnFreshConnection(connection, dueAt);
                }
            }

            // Wake for the next due request (poll(2) counts whole milliseconds: rounded up, never a busy loop), or
            // for an answer; requests waiting for a free connection wait for an answer only.
            var untilNext = next < schedule.Count && waiting.Count == 0
                ? schedule.DueAt(next) - Stopwatch.GetElapsedTime(start)
                : TimeSpan.FromSeconds(1);
            var waitMs = Math.Max(1, (int)Math.Ceiling(untilNext.TotalMilliseconds));
            if (busy.Count == 0)
            {
                if (untilNext > TimeSpan.Zero)
                {
                    Thread.Sleep(waitMs);
                }
                continue;
            }
            readable.Clear();
            readable.AddRange(busy.Keys);
            Socket.Select(readable, null, null, untilNext > TimeSpan.Zero ? waitMs * 1000 : 0);
            foreach (var socket in readable)
            {
                var connection = busy[socket];
                var status = connection.Receive();
                if (status is null)
                {
                    continue;
                }
                busy.Remove(socket);
                if (status == 0 && connection.MayResendOnFreshConnection)
                {
                    SendOnFreshConnection(connection, connection.DueAt);
                    continue;
                }
                answered++;
                if (status is >= 200 and < 300)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(connection.DueAt).TotalMilliseconds);
                    _idle.Push(connection);
                }
                else
                {
                    Fail(connection, status > 0 ? $"HTTP {status}" : "connection closed");
                }
            }
        }
        return new OpenLoopResult(schedule.Count, failures, Stopwatch.GetElapsedTime(start), latencies);

        // A server closes a keep-alive connection that sat idle past its keep-alive timeout (the most recently used
        // connections go first, so some wait long). A request that got nothing of an answer on it goes again on a new
        // connection, once, as HTTP clients do; its latency still counts from when it was due.
        void SendOnFreshConnection(Connection closed, long dueAt)
        {
            var fresh = Replace(closed);
            if (fresh.TrySend(_request, dueAt, resent: true))
            {
                busy.Add(fresh.Socket, fresh);
            }
            else
            {
                Fail(fresh, "SocketException");
                answered++;
            }
        }

        void Fail(Connection connection, string reason)
        {
            failures[reason] = failures.GetValueOrDefault(reason) + 1;
            // Whatever the connection was in the middle of, a fresh one starts clean.
            _idle.Push(Replace(connection));
        }
    }

    private Connection Replace(Connection connection)
    {
        _all.Remove(connection);
        connection.Dispose();
        var fresh = Connect();
        _all.Add(fresh);
        return fresh;
    }

    public void Dispose()
    {
        foreach (var connection in _all)
        {
            connection.Dispose();
        }
        _all.Clear();
        _idle.Clear();
    }

    private Connection Connect()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(_endpoint);
        return new Connection(socket);
    }

    private sealed class Connection(Socket socket) : IDisposable
    {
        private byte[] _buffer = new byte[16 * 1024];
        private int _received;

        public Socket Socket { get; } = socket;

        public long DueAt { get; private set; }

        /// <summary>The connection closed before any byte of its answer, and the request has not been sent again yet.</summary>
        public bool MayResendOnFreshConnection => _received == 0 && !_resent;

        private bool _resent;

        public bool TrySend(byte[] request, long dueAt, bool resent = false)
        {
            DueAt = dueAt;
            _received = 0;
            _resent = resent;
            try
            {
                Socket.Send(request);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        /// <summary>Reads what has arrived: the status once the response is complete, 0 if the server closed, else null.</summary>
        public int? Receive()
        {
            if (_received == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            int read;
            try
            {
                read = Socket.Receive(_buffer, _received, _buffer.Length - _received, SocketFlags.None);
            }
            catch (SocketException)
            {
                return 0;
            }
            if (read == 0)
            {
                return 0;
            }
            _received += read;
            return HttpResponseFraming.Complete(_buffer.AsSpan(0, _received)) is { } response ? response.Status : null;
        }

        public void Dispose() => Socket.Dispose();
    }
}
