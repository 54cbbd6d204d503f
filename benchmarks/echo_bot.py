"""A bare aiogram 3 bot, the baseline of benchmarks/throughput.py (not part of Chibot).

Each message is answered with its own text and one inline button; a button press is answered
with answerCallbackQuery and a message echoing the button's data. Long polling by default;
with --webhook-url, a webhook on 127.0.0.1 served by aiogram's own aiohttp handler.

    python benchmarks/echo_bot.py --token TOKEN --api-base http://127.0.0.1:PORT \
        [--webhook-url http://127.0.0.1:HTTPPORT --port HTTPPORT --secret SECRET]
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

PATH = "/telegram/webhook"
KEYBOARD = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Lặp lại", callback_data="echo:again")]])


def build() -> Dispatcher:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "…", reply_markup=KEYBOARD)

    @dispatcher.callback_query()
    async def pressed(query: CallbackQuery) -> None:
        await query.answer()
        await query.bot.send_message(query.message.chat.id, query.data or "…", reply_markup=KEYBOARD)

    return dispatcher


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--token", required=True)
    parser.add_argument("--api-base", required=True)
    parser.add_argument("--webhook-url", default="")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--secret", default="")
    args = parser.parse_args()

    bot = Bot(args.token, session=AiohttpSession(api=TelegramAPIServer.from_base(args.api_base)))
    dispatcher = build()
    if not args.webhook_url:
        await bot.delete_webhook()
        await dispatcher.start_polling(bot, handle_signals=True)
        return

    from aiohttp import web
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application

    app = web.Application()
    SimpleRequestHandler(dispatcher, bot, secret_token=args.secret).register(app, path=PATH)
    setup_application(app, dispatcher, bot=bot)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", args.port).start()
    await bot.set_webhook(args.webhook_url.rstrip("/") + PATH, secret_token=args.secret)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()
    await bot.session.close()


if __name__ == "__main__":
    asyncio.run(main())
