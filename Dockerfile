# The CMS on PostgreSQL or SQLite; docker-compose.yml runs it next to PostgreSQL 15.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY . .
# constraints.txt pins every distribution to the versions tested (`make lock` renews it),
# so an image built next month installs what CI tested today.
RUN pip install -c constraints.txt . \
    && useradd --system --create-home --home-dir /home/cms --shell /usr/sbin/nologin cms \
    && mkdir -p /data/media \
    && chown -R cms:cms /data

# The working directory is where the default SQLite file (cms.sqlite3) and the media
# storage (media/, unless CMS_MEDIA_URL names a bucket) land, so it must be writable by the
# unprivileged user.
WORKDIR /data
USER cms

# Production: the app refuses to start without CMS_SECRET_KEY (docker run -e CMS_SECRET_KEY=…).
ENV CMS_ENV=production \
    CMS_HOST=0.0.0.0 \
    CMS_PORT=8000
EXPOSE 8000

CMD ["sh", "-c", "cms wait-db && cms migrate && cms seed && exec cms serve"]
