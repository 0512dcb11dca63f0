# Production image: gunicorn behind a non-root user; migrations run at start.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PORT=8000 \
    GUNICORN_WORKERS=2 \
    GUNICORN_THREADS=4

WORKDIR /app
COPY pyproject.toml README.md ./
COPY manage.py ./
COPY common ./common
COPY integrations ./integrations
COPY apikit ./apikit
COPY users ./users
COPY shifts ./shifts
COPY schedules ./schedules
COPY timeline ./timeline
COPY dialects ./dialects
COPY oncall_events ./oncall_events
COPY reports ./reports
COPY pages ./pages
COPY oncall ./oncall
RUN pip install . \
    && DEBUG=1 python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --system --uid 10001 --home /app oncall && chown -R oncall /app

USER oncall
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/health/', timeout=4)"

CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn oncall.wsgi --bind 0.0.0.0:${PORT} --workers ${GUNICORN_WORKERS} --worker-class gthread --threads ${GUNICORN_THREADS} --access-logfile - --logger-class oncall.access_log.RedactingLogger"]
