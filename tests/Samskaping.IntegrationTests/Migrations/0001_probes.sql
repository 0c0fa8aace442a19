-- Tables the messaging tests' consumers write their effects to.
CREATE SCHEMA IF NOT EXISTS probe;

CREATE TABLE probe.effects (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    probe_id    uuid        NOT NULL,
    consumer    text        NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);

-- Every delivery, without the inbox: shows what the broker delivered, duplicates included.
CREATE TABLE probe.deliveries (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id  uuid        NOT NULL,
    probe_id    uuid        NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
