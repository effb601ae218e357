# boardbot: Slack + Teams + health + calendar on port 3000.
#   docker build -t boardbot .
#   docker run -p 3000:3000 -v boardbot-data:/data boardbot
# Embedded SQLite in the /data volume by default; set DATABASE_URL=postgresql://... for replicas.
# Slack answers once SLACK_SIGNING_SECRET (+ SLACK_BOT_TOKEN or SLACK_CLIENT_ID/SECRET) is set, Teams
# once MicrosoftAppId/MicrosoftAppPassword are: until then both endpoints answer 401. The image never
# runs an open Teams endpoint: BOARDBOT_TEAMS_UNAUTHENTICATED=1 needs HOST on loopback, and with
# HOST=0.0.0.0 below `boardbot serve` refuses to start.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY storage ./storage
COPY scheduler ./scheduler
COPY drafting ./drafting
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 boardbot && mkdir -p /data && chown boardbot /data
COPY --from=build /install /usr/local
USER boardbot
ENV DATABASE_URL=sqlite:////data/boardbot.db \
    HOST=0.0.0.0 \
    PORT=3000 \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4).status == 200 else 1)"
CMD ["boardbot", "serve"]
