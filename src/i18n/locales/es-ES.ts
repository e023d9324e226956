// Spanish (Spain; also used for es-419). Keys and {placeholders} exactly as in en.ts.
import type { Messages } from './en.js';

export const esES = {
  // Command names and descriptions (Discord localization fields).
  'cmd.seed.name': 'seed',
  'cmd.seed.description': 'Obtener la seed y las cuatro imágenes escaladas de un trabajo de Midjourney',
  'cmd.seed.job.name': 'job',
  'cmd.seed.job.description': 'jobid de useapi, enlace o ID de un mensaje de Discord',
  'cmd.seed.private.name': 'privado',
  'cmd.seed.private.description': 'Solo tú verás la respuesta',
  'cmd.getSeed.name': 'Obtener seed',
  'cmd.midjourney.name': 'midjourney',
  'cmd.midjourney.description': 'Moderación de las cuentas de Midjourney (moderadores)',
  'cmd.midjourney.status.name': 'estado',
  'cmd.midjourney.status.description':
    'Mostrar las cuentas de Midjourney, los bloqueos y las solicitudes en espera',
  'cmd.midjourney.reset.name': 'reset',
  'cmd.midjourney.reset.description': 'Restablecer una cuenta tras resolver su mensaje de moderación',
  'cmd.midjourney.reset.channel.name': 'canal',
  'cmd.midjourney.reset.channel.description': 'ID del canal de la cuenta',

  // Waiting.
  'progress.accepted': '⏳ Estoy en ello…',
  'progress.queued': '⏳ En la cola: posición {position}. Midjourney procesa pocos trabajos a la vez.',
  'progress.asking': '⏳ Pidiendo la seed a Midjourney…',
  'progress.waiting': '⏳ Midjourney está en ello ({elapsed} s)…',
  'progress.busy': '⏳ Midjourney está ocupado; vuelvo a intentarlo en {seconds} s.',
  'progress.joined': '⏳ Alguien ya ha pedido este trabajo; esperando la misma respuesta…',

  // The answer.
  'reply.title': 'Seed {seed}',
  'reply.seedField': 'Seed',
  'reply.promptField': 'Prompt',
  'reply.jobField': 'Trabajo',
  'reply.original': 'Mensaje original',
  'reply.jump': 'Ir al mensaje original',
  'reply.imagesLinked':
    'No se han podido adjuntar las imágenes ({reason}); están enlazadas y puede que Discord deje de mostrarlas pasado un día aproximadamente.',
  'reply.imagesPending': 'Seed sacada del prompt; obteniendo las cuatro imágenes…',
  'reply.imagesUnavailable': 'Las cuatro imágenes no están disponibles.',
  'reply.fromPrompt': 'La seed ya estaba escrita en el prompt.',
  'reply.footer': 'Úsala con --seed {seed}',
  'reply.lateMention': '{user}, aquí tienes la seed que pediste:',
  'reason.tooLarge': 'demasiado grandes para subirlas aquí',
  'reason.download': 'falló la descarga',

  // Member mistakes.
  'error.invalidInput':
    'Eso no es un jobid, ni un enlace ni un ID de mensaje. Pega el jobid de useapi (como `job:2024…-user:…-channel:…`) o un enlace al mensaje de Midjourney, o haz clic derecho en el mensaje → Aplicaciones → Obtener seed.',
  'error.notMidjourney':
    'Esto no es un resultado de Midjourney. Haz clic derecho en una imagen publicada por el bot de Midjourney.',
  'error.noImage':
    'Este mensaje de Midjourney aún no tiene imagen. Espera a que termine el trabajo y vuelve a intentarlo.',
  'error.video': 'Solo hay seeds para trabajos imagine, button y blend, no para trabajos de vídeo.',
  'error.otherGuild':
    'Ese enlace apunta a un mensaje de otro servidor. Usa un enlace a un mensaje de este servidor.',
  'error.unknownMessage':
    'No he encontrado el trabajo de useapi detrás de este mensaje ({why}). Si tienes el jobid, pégalo abajo.',
  'why.notIndexed': 'no he visto este trabajo',
  'button.pasteJobid': 'Pegar el jobid',
  'modal.title': 'Pega el jobid de useapi',
  'modal.label': 'jobid de este mensaje',
  'error.jobidMismatch':
    'Ese jobid pertenece a otro mensaje. Comprueba que has copiado el jobid de esta misma imagen.',
  'error.notOwner': 'Solo el miembro que creó esta imagen puede pedir su seed aquí.',
  'error.moderatorsOnly': 'En este servidor solo los moderadores pueden pedir seeds.',
  'error.rateLimited': 'Has pedido muchas seeds en poco tiempo. Vuelve a intentarlo en {seconds} s.',

  // Upstream outcomes.
  'error.notFinished':
    'Ese trabajo aún no ha terminado. Espera a que Midjourney lo termine y vuelve a pedirlo.',
  'error.unsupported': 'Solo hay seeds para trabajos imagine, button y blend; este es un trabajo {verb}.',
  'error.notFound':
    'useapi no conoce ese trabajo. Comprueba el jobid; useapi guarda los trabajos durante 31 días.',
  'error.accountMissing':
    'No hay ninguna cuenta de Midjourney configurada en useapi para el canal de este trabajo.',
  'error.unauthorized':
    'Se ha rechazado el token de useapi del bot. Un administrador debe revisar USEAPI_TOKEN.',
  'error.noSubscription':
    'La suscripción de useapi ha finalizado. Un administrador debe renovarla en useapi.net.',
  'error.busy':
    'Midjourney está ocupado ahora mismo y no he conseguido turno. Vuelve a intentarlo en un minuto.',
  'error.unavailable': 'useapi no responde ahora mismo. Vuelve a intentarlo en unos minutos.',
  'error.timeout': 'Midjourney ha tardado demasiado en responder. Vuelve a intentarlo más tarde.',
  'error.moderated': 'Midjourney ha rechazado esta solicitud (moderada).',
  'error.jobFailed':
    'Midjourney no ha podido obtener la seed de este trabajo. Vuelve a intentarlo más tarde.',
  'error.held':
    '⏸️ La cuenta de Midjourney está esperando a un moderador. Ya se ha avisado a los moderadores; tu solicitud se guarda y se ejecutará sola después del restablecimiento.',
  'error.shuttingDown': 'El bot se está reiniciando; tu solicitud se guarda y se responderá en breve.',
  'error.internal': 'Algo ha fallado por mi parte (referencia `{ref}`). Vuelve a intentarlo.',

  // Moderators.
  'mod.refused': 'Solo los moderadores (Gestionar servidor o un rol de moderador) pueden hacer esto.',
  'mod.alert.title': '⚠️ La cuenta de Midjourney {channel} está retenida por moderación',
  'mod.alert.body':
    'useapi ha respondido 596: Midjourney ha mostrado a esta cuenta un mensaje de moderación o un CAPTCHA. Las solicitudes de seed para ella se guardan y esperan.\n\n**Qué hacer**\n1. Inicia sesión en Discord con la cuenta de Midjourney.\n2. Acepta el mensaje de moderación o resuelve el CAPTCHA.\n3. Pulsa **Restablecer** abajo (o ejecuta `/midjourney reset`).',
  'mod.alert.text': 'Mensaje de moderación',
  'mod.alert.waiting': 'Solicitudes en espera',
  'mod.button.reset': 'Restablecer',
  'mod.confirm':
    '¿Has iniciado sesión en Discord con la cuenta de Midjourney del canal {channel} y has aceptado el mensaje de moderación (o resuelto el CAPTCHA)? Si restableces antes, useapi volverá a retener la cuenta.',
  'mod.button.confirm': 'Sí, restablecer ahora',
  'mod.button.cancel': 'Cancelar',
  'mod.cancelled': 'Restablecimiento cancelado.',
  'mod.reset.ok':
    '✅ Cuenta {channel} restablecida por {user}. {count} solicitud(es) en espera vuelven a ejecutarse.',
  'mod.reset.stillPending':
    'useapi ha aceptado el restablecimiento, pero la cuenta todavía tiene un mensaje de moderación pendiente. Acéptalo primero en Discord y vuelve a restablecerla.',
  'mod.reset.unauthorized':
    'useapi ha rechazado el restablecimiento: el token de useapi del bot no es válido (401).',
  'mod.reset.notFound':
    'useapi no tiene ninguna cuenta de Midjourney para el canal {channel} (404). Comprueba el ID del canal.',
  'mod.reset.error': 'El restablecimiento ha fallado ({reason}). Vuelve a intentarlo en un minuto.',
  'mod.status.title': 'Cuentas de Midjourney',
  'mod.status.none': 'No hay ninguna cuenta de Midjourney configurada para este token de useapi.',
  'mod.status.held': '⏸️ retenida desde {since}',
  'mod.status.ok': '✅ en marcha',
  'mod.status.line':
    '**Token** {token} · **maxJobs** {maxJobs} · **en espera** {waiting} · **en ejecución** {executing}',
  'mod.status.pending': '**Mensaje de moderación pendiente:** {text}',
  'mod.status.lastError': '**Último error:** {error}',
  'mod.status.resets': '**Últimos restablecimientos:** {list}',
  'mod.status.noResets': 'ninguno',
  'mod.status.unavailable': 'useapi no ha respondido: {reason}',
} satisfies Messages;
